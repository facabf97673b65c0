using System.Globalization;
using System.Net;
using System.Net.Sockets;
using QaDatabases.Capacity;
using QaDatabases.Hooks;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

/// <summary>
/// The post-clone hooks, run exactly as Pulumi.Command runs them (bash -c script, environment),
/// against a real PostgreSQL 15 server standing in for the clone.
/// </summary>
[Collection(PostgresTests.Name)]
public class HookScriptTests(PostgresServer server)
{
    private const string MaskingFile = "masking/postgres/01-mask-personal-data.sql";
    private static readonly string FakeAws = Repo.PathOf("Tests", "Core.Tests", "Fixtures", "fake-aws");

    private async Task<string> SeededCloneAsync()
    {
        var database = await server.CreateDatabaseAsync("clone");
        await server.ExecuteAsync(database, await File.ReadAllTextAsync(Repo.PathOf("Tests", "Core.Tests", "Fixtures", "seed-shop.sql")));
        return database;
    }

    private Task<List<object[]>> RowsAsync(string database, string sql) => server.QueryAsync(database, sql);

    [Fact]
    public async Task The_example_masking_replaces_personal_data_and_keeps_keys_counts_and_other_columns()
    {
        var database = await SeededCloneAsync();
        const string Untouched = "SELECT id, country, created_at FROM customers ORDER BY id";
        const string Orders = "SELECT id, customer_id, total, status, placed_at FROM orders ORDER BY id";
        const string Personal = "SELECT id, email, phone, full_name, date_of_birth FROM customers ORDER BY id";
        var untouchedBefore = await RowsAsync(database, Untouched);
        var ordersBefore = await RowsAsync(database, Orders);
        var personalBefore = await RowsAsync(database, Personal);
        var usersBefore = await RowsAsync(database, "SELECT id, customer_id, role, username, password_hash FROM users ORDER BY id");

        var result = await Bash.RunAsync(HookScripts.Masking(EngineFamily.PostgreSql, ConnectionRoute.Direct, [MaskingFile]), server.HookEnvironment(database), Repo.Root);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(untouchedBefore, await RowsAsync(database, Untouched));
        Assert.Equal(ordersBefore, await RowsAsync(database, Orders));
        var personalAfter = await RowsAsync(database, Personal);
        Assert.Equal(personalBefore.Select(r => r[0]), personalAfter.Select(r => r[0]));
        for (var i = 0; i < personalBefore.Count; i++)
        {
            for (var column = 1; column <= 4; column++)
            {
                Assert.NotEqual(personalBefore[i][column], personalAfter[i][column]);
            }
        }

        Assert.Empty(await RowsAsync(database, "SELECT 1 FROM customers WHERE email NOT LIKE 'customer-%@example.invalid' OR full_name NOT LIKE 'Customer %'"));
        var usersAfter = await RowsAsync(database, "SELECT id, customer_id, role, username, password_hash FROM users ORDER BY id");
        Assert.Equal(usersBefore.Select(r => (r[0], r[1], r[2])), usersAfter.Select(r => (r[0], r[1], r[2])));
        Assert.All(usersAfter, r => Assert.Equal("masked:reset-required", r[4]));
        Assert.DoesNotContain(usersAfter, r => usersBefore.Any(b => Equals(b[3], r[3])));
    }

    [Fact]
    public async Task Masking_is_deterministic_and_idempotent()
    {
        var database = await SeededCloneAsync();
        var script = HookScripts.Masking(EngineFamily.PostgreSql, ConnectionRoute.Direct, [MaskingFile]);
        const string All = "SELECT c.*, u.username, u.password_hash FROM customers c JOIN users u ON u.customer_id = c.id ORDER BY c.id";

        Assert.Equal(0, (await Bash.RunAsync(script, server.HookEnvironment(database), Repo.Root)).ExitCode);
        var once = await RowsAsync(database, All);
        Assert.Equal(0, (await Bash.RunAsync(script, server.HookEnvironment(database), Repo.Root)).ExitCode);

        Assert.Equal(once, await RowsAsync(database, All));
        Assert.Equal("customer-42@example.invalid", (await RowsAsync(database, "SELECT email FROM customers WHERE id = 42"))[0][0]);
    }

    [Fact]
    public async Task A_broken_sql_file_fails_naming_the_file_and_line_and_changes_nothing()
    {
        var database = await SeededCloneAsync();
        var project = Directory.CreateTempSubdirectory("qa-db-project-");
        Directory.CreateDirectory(Path.Combine(project.FullName, "masking"));
        await File.WriteAllTextAsync(Path.Combine(project.FullName, "masking", "02-broken.sql"),
            "UPDATE customers SET full_name = 'first statement ran';\n\nUPDATE customers SET no_such_column = 1;\n");
        var before = await RowsAsync(database, "SELECT id, full_name FROM customers ORDER BY id");

        var result = await Bash.RunAsync(
            HookScripts.Masking(EngineFamily.PostgreSql, ConnectionRoute.Direct, ["masking/02-broken.sql"]), server.HookEnvironment(database), project.FullName);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("masking/02-broken.sql:3: ERROR:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("no_such_column", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await RowsAsync(database, "SELECT id, full_name FROM customers ORDER BY id"));
        project.Delete(recursive: true);
    }

    [Fact]
    public async Task Later_files_do_not_run_after_a_failure()
    {
        var database = await SeededCloneAsync();
        var project = Directory.CreateTempSubdirectory("qa-db-project-");
        await File.WriteAllTextAsync(Path.Combine(project.FullName, "a.sql"), "SELECT * FROM missing_table;\n");
        await File.WriteAllTextAsync(Path.Combine(project.FullName, "b.sql"), "UPDATE customers SET country = 'XX';\n");

        var result = await Bash.RunAsync(HookScripts.Masking(EngineFamily.PostgreSql, ConnectionRoute.Direct, ["a.sql", "b.sql"]), server.HookEnvironment(database), project.FullName);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(await RowsAsync(database, "SELECT 1 FROM customers WHERE country = 'XX'"));
        project.Delete(recursive: true);
    }

    [Fact]
    public async Task The_smoke_check_prints_the_query_result()
    {
        var database = await SeededCloneAsync();
        var environment = server.HookEnvironment(database);
        environment["QA_DB_SMOKE_QUERY"] = "SELECT 1";

        var selectOne = await Bash.RunAsync(HookScripts.SmokeCheck(EngineFamily.PostgreSql, ConnectionRoute.Direct), environment, Repo.Root);
        environment["QA_DB_SMOKE_QUERY"] = "SELECT count(*) FROM orders WHERE status = 'paid'";
        var count = await Bash.RunAsync(HookScripts.SmokeCheck(EngineFamily.PostgreSql, ConnectionRoute.Direct), environment, Repo.Root);

        Assert.Equal((0, "1"), (selectOne.ExitCode, selectOne.Stdout.Trim()));
        Assert.Equal((0, "500"), (count.ExitCode, count.Stdout.Trim()));
    }

    [Fact]
    public async Task A_failing_smoke_check_fails_the_hook()
    {
        var environment = server.HookEnvironment(await SeededCloneAsync());
        environment["QA_DB_SMOKE_QUERY"] = "SELECT * FROM table_that_is_not_there";

        var result = await Bash.RunAsync(HookScripts.SmokeCheck(EngineFamily.PostgreSql, ConnectionRoute.Direct), environment, Repo.Root);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("table_that_is_not_there", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_fails_the_hook()
    {
        var environment = server.HookEnvironment(await SeededCloneAsync());
        environment["QA_DB_PASSWORD"] = "not-the-password";
        environment["QA_DB_SMOKE_QUERY"] = "SELECT 1";

        var result = await Bash.RunAsync(HookScripts.SmokeCheck(EngineFamily.PostgreSql, ConnectionRoute.Direct), environment, Repo.Root);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("password authentication failed", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_password_the_hook_reads_it_from_the_clones_secret_in_its_region()
    {
        var environment = server.HookEnvironment(await SeededCloneAsync());
        environment.Remove("QA_DB_PASSWORD");
        const string Arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-abc-Xy12";
        environment["QA_DB_SECRET_ARN"] = Arn;
        environment["QA_DB_SMOKE_QUERY"] = "SELECT current_user";
        environment["PATH"] = $"{FakeAws}:{Environment.GetEnvironmentVariable("PATH")}";
        environment["FAKE_AWS_EXPECT_REGION"] = "eu-west-1";
        environment["FAKE_AWS_EXPECT_SECRET_ID"] = Arn;
        environment["FAKE_AWS_SECRET_STRING"] = $"{{\"username\":\"{PostgresServer.User}\",\"password\":\"{PostgresServer.Password}\"}}";

        var result = await Bash.RunAsync(HookScripts.SmokeCheck(EngineFamily.PostgreSql, ConnectionRoute.Direct), environment, Repo.Root);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(PostgresServer.User, result.Stdout.Trim());
        Assert.DoesNotContain(PostgresServer.Password, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Through_the_ssm_port_forward_the_hooks_reach_the_clone_and_close_the_tunnel()
    {
        var database = await SeededCloneAsync();
        var environment = server.HookEnvironment(database);
        var localPort = PostgresServer.FreePort();
        environment["QA_DB_BASTION"] = "i-0fedcba9876543210";
        environment["QA_DB_LOCAL_PORT"] = localPort.ToString(CultureInfo.InvariantCulture);
        environment["QA_DB_SMOKE_QUERY"] = "SELECT inet_server_port()";
        environment["PATH"] = $"{FakeAws}:{Environment.GetEnvironmentVariable("PATH")}";

        var masking = await Bash.RunAsync(HookScripts.Masking(EngineFamily.PostgreSql, ConnectionRoute.SsmPortForward, [MaskingFile]), environment, Repo.Root);
        var smoke = await Bash.RunAsync(HookScripts.SmokeCheck(EngineFamily.PostgreSql, ConnectionRoute.SsmPortForward), environment, Repo.Root);

        Assert.True(masking.ExitCode == 0, masking.Stderr);
        Assert.Equal("customer-7@example.invalid", (await RowsAsync(database, "SELECT email FROM customers WHERE id = 7"))[0][0]);
        Assert.True(smoke.ExitCode == 0, smoke.Stderr);
        Assert.Equal(server.Port.ToString(CultureInfo.InvariantCulture), smoke.Stdout.Trim());
        await Task.Delay(300);
        Assert.False(IsListening(localPort), "the tunnel must be closed when the hook ends");
    }

    [Fact]
    public async Task A_tunnel_that_cannot_open_fails_with_the_bastion_named()
    {
        var environment = server.HookEnvironment(await SeededCloneAsync());
        environment["QA_DB_BASTION"] = "i-0fedcba9876543210";
        environment["QA_DB_LOCAL_PORT"] = PostgresServer.FreePort().ToString(CultureInfo.InvariantCulture);
        environment["QA_DB_SMOKE_QUERY"] = "SELECT 1";
        environment["PATH"] = $"{FakeAws}:{Environment.GetEnvironmentVariable("PATH")}";
        environment["FAKE_AWS_SSM_FAIL"] = "1";

        var result = await Bash.RunAsync(HookScripts.SmokeCheck(EngineFamily.PostgreSql, ConnectionRoute.SsmPortForward), environment, Repo.Root);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("SSM port forward through i-0fedcba9876543210 ended before it opened", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Scripts_never_carry_connection_values_only_variable_names()
    {
        var script = HookScripts.Masking(EngineFamily.PostgreSql, ConnectionRoute.SsmPortForward, [MaskingFile])
            + HookScripts.SmokeCheck(EngineFamily.MySql, ConnectionRoute.Direct);

        Assert.DoesNotContain(PostgresServer.Password, script, StringComparison.Ordinal);
        Assert.Contains("PGPASSWORD=\"$QA_DB_PASSWORD\"", script, StringComparison.Ordinal);
        Assert.Contains("--defaults-file=\"$mysql_options_dir/client.cnf\"", script, StringComparison.Ordinal);
        Assert.DoesNotContain("MYSQL_PWD", script, StringComparison.Ordinal);
        Assert.DoesNotContain("--password", script, StringComparison.Ordinal);
        Assert.DoesNotContain("-p\"", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Tunnel_ports_are_stable_per_stack_and_spread_across_stacks()
    {
        Assert.Equal(HookScripts.LocalTunnelPort("pr-1"), HookScripts.LocalTunnelPort("pr-1"));
        var ports = Enumerable.Range(1, 50).Select(i => HookScripts.LocalTunnelPort($"pr-{i}")).ToList();
        Assert.All(ports, p => Assert.InRange(p, 20_000, 39_999));
        Assert.True(ports.Distinct().Count() > 45);
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
