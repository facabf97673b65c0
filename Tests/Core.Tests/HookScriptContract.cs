using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using QaDatabases.Capacity;
using QaDatabases.Hooks;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

/// <summary>
/// What the post-clone hooks promise on every engine, run exactly as Pulumi.Command runs them (bash -c
/// script, environment) against a real server standing in for the clone. Each engine's class supplies
/// its server and dialect, and adds what only that engine's client does.
/// </summary>
public abstract partial class HookScriptContract
{
    protected static readonly string FakeAws = Repo.PathOf("Tests", "Core.Tests", "Fixtures", "fake-aws");

    protected const string Personal = "SELECT id, email, phone, full_name, date_of_birth FROM customers ORDER BY id";

    protected abstract EngineFamily Engine { get; }

    /// <summary>The engine's example masking script, relative to the repository.</summary>
    protected abstract string MaskingFile { get; }

    /// <summary>The user and password the hooks log in with.</summary>
    protected abstract (string User, string Password) Login { get; }

    protected abstract int ServerPort { get; }

    /// <summary>The engine's words for a refused password.</summary>
    protected abstract string WrongPasswordError { get; }

    /// <summary>A query whose single value is the session's user, and what it prints for <see cref="Login"/>.</summary>
    protected abstract (string Query, string Expected) CurrentUser { get; }

    /// <summary>A query whose single value is the port the server listens on.</summary>
    protected abstract string ServerPortQuery { get; }

    /// <summary>A new database seeded with the shop fixture (500 customers and users, 2000 orders).</summary>
    protected abstract Task<string> SeededCloneAsync();

    protected abstract Task<List<object[]>> RowsAsync(string database, string sql);

    protected abstract Dictionary<string, string> HookEnvironment(string database);

    protected string Masking(params string[] files) => HookScripts.Masking(Engine, ConnectionRoute.Direct, files);

    protected string SmokeCheck() => HookScripts.SmokeCheck(Engine, ConnectionRoute.Direct);

    [Fact]
    public async Task The_example_masking_replaces_personal_data_and_keeps_keys_counts_and_other_columns()
    {
        var database = await SeededCloneAsync();
        const string Untouched = "SELECT id, country, created_at FROM customers ORDER BY id";
        const string Orders = "SELECT id, customer_id, total, status, placed_at FROM orders ORDER BY id";
        const string Users = "SELECT id, customer_id, role, username, password_hash FROM users ORDER BY id";
        var untouchedBefore = await RowsAsync(database, Untouched);
        var ordersBefore = await RowsAsync(database, Orders);
        var personalBefore = await RowsAsync(database, Personal);
        var usersBefore = await RowsAsync(database, Users);

        var result = await Bash.RunAsync(Masking(MaskingFile), HookEnvironment(database), Repo.Root);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(500, untouchedBefore.Count);
        Assert.Equal(2000, ordersBefore.Count);
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
        var usersAfter = await RowsAsync(database, Users);
        Assert.Equal(usersBefore.Select(r => (r[0], r[1], r[2])), usersAfter.Select(r => (r[0], r[1], r[2])));
        Assert.All(usersAfter, r => Assert.Equal("masked:reset-required", r[4]));
        Assert.DoesNotContain(usersAfter, r => usersBefore.Any(b => Equals(b[3], r[3])));
    }

    [Fact]
    public async Task Masking_is_deterministic_and_idempotent()
    {
        var database = await SeededCloneAsync();
        const string All = "SELECT c.*, u.username, u.password_hash FROM customers c JOIN users u ON u.customer_id = c.id ORDER BY c.id";

        Assert.Equal(0, (await Bash.RunAsync(Masking(MaskingFile), HookEnvironment(database), Repo.Root)).ExitCode);
        var once = await RowsAsync(database, All);
        var again = await Bash.RunAsync(Masking(MaskingFile), HookEnvironment(database), Repo.Root);

        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(once, await RowsAsync(database, All));
        Assert.Equal("customer-42@example.invalid", (await RowsAsync(database, "SELECT email FROM customers WHERE id = 42"))[0][0]);
    }

    [Fact]
    public async Task Later_files_do_not_run_after_a_failure()
    {
        var database = await SeededCloneAsync();
        using var project = new TempProject();
        project.Write("a.sql", "SELECT * FROM missing_table;\n");
        project.Write("b.sql", "UPDATE customers SET country = 'XX';\n");

        var result = await Bash.RunAsync(Masking("a.sql", "b.sql"), HookEnvironment(database), project.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("a.sql", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(await RowsAsync(database, "SELECT 1 FROM customers WHERE country = 'XX'"));
    }

    [Fact]
    public async Task The_smoke_check_prints_the_query_result()
    {
        var environment = HookEnvironment(await SeededCloneAsync());
        environment["QA_DB_SMOKE_QUERY"] = "SELECT 1";

        var selectOne = await Bash.RunAsync(SmokeCheck(), environment, Repo.Root);
        environment["QA_DB_SMOKE_QUERY"] = "SELECT count(*) FROM orders WHERE status = 'paid'";
        var count = await Bash.RunAsync(SmokeCheck(), environment, Repo.Root);

        Assert.Equal((0, "1"), (selectOne.ExitCode, selectOne.Stdout.Trim()));
        Assert.Equal((0, "500"), (count.ExitCode, count.Stdout.Trim()));
    }

    [Fact]
    public async Task A_failing_smoke_check_fails_the_hook()
    {
        var environment = HookEnvironment(await SeededCloneAsync());
        environment["QA_DB_SMOKE_QUERY"] = "SELECT * FROM table_that_is_not_there";

        var result = await Bash.RunAsync(SmokeCheck(), environment, Repo.Root);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("table_that_is_not_there", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_fails_the_hook()
    {
        var environment = HookEnvironment(await SeededCloneAsync());
        environment["QA_DB_PASSWORD"] = "not-the-password";
        environment["QA_DB_SMOKE_QUERY"] = "SELECT 1";

        var result = await Bash.RunAsync(SmokeCheck(), environment, Repo.Root);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(WrongPasswordError, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_password_the_hook_reads_it_from_the_clones_secret_in_its_region()
    {
        var environment = HookEnvironment(await SeededCloneAsync());
        environment.Remove("QA_DB_PASSWORD");
        const string Arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-abc-Xy12";
        environment["QA_DB_SECRET_ARN"] = Arn;
        environment["QA_DB_SMOKE_QUERY"] = CurrentUser.Query;
        environment["PATH"] = $"{FakeAws}:{Environment.GetEnvironmentVariable("PATH")}";
        environment["FAKE_AWS_EXPECT_REGION"] = "eu-west-1";
        environment["FAKE_AWS_EXPECT_SECRET_ID"] = Arn;
        environment["FAKE_AWS_SECRET_STRING"] = JsonSerializer.Serialize(new { username = Login.User, password = Login.Password });

        var result = await Bash.RunAsync(SmokeCheck(), environment, Repo.Root);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(CurrentUser.Expected, result.Stdout.Trim());
        Assert.DoesNotContain(Login.Password, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Through_the_ssm_port_forward_the_hooks_reach_the_clone_and_close_the_tunnel()
    {
        var database = await SeededCloneAsync();
        var environment = HookEnvironment(database);
        var localPort = PostgresServer.FreePort();
        environment["QA_DB_BASTION"] = "i-0fedcba9876543210";
        environment["QA_DB_LOCAL_PORT"] = localPort.ToString(CultureInfo.InvariantCulture);
        environment["QA_DB_SMOKE_QUERY"] = ServerPortQuery;
        environment["PATH"] = $"{FakeAws}:{Environment.GetEnvironmentVariable("PATH")}";

        var masking = await Bash.RunAsync(HookScripts.Masking(Engine, ConnectionRoute.SsmPortForward, [MaskingFile]), environment, Repo.Root);
        var smoke = await Bash.RunAsync(HookScripts.SmokeCheck(Engine, ConnectionRoute.SsmPortForward), environment, Repo.Root);

        Assert.True(masking.ExitCode == 0, masking.Stderr);
        Assert.Equal("customer-7@example.invalid", (await RowsAsync(database, "SELECT email FROM customers WHERE id = 7"))[0][0]);
        Assert.True(smoke.ExitCode == 0, smoke.Stderr);
        Assert.Equal(ServerPort.ToString(CultureInfo.InvariantCulture), smoke.Stdout.Trim());
        await Task.Delay(300);
        Assert.False(IsListening(localPort), "the tunnel must be closed when the hook ends");
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
