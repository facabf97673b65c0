using System.Data.Common;
using System.Globalization;
using Npgsql;
using QaDatabases.Capacity;
using QaDatabases.Hooks;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

/// <summary>
/// The Aurora PostgreSQL path of the post-clone hooks (with psql) against a real PostgreSQL 15
/// server standing in for the clone: the shared promises of <see cref="HookScriptContract"/>, and
/// what psql does in its own way.
/// </summary>
[Collection(PostgresTests.Name)]
public class PostgresHookScriptTests(PostgresServer server) : HookScriptContract
{
    protected override EngineFamily Engine => EngineFamily.PostgreSql;

    protected override string MaskingFile => "masking/postgres/01-mask-personal-data.sql";

    protected override (string User, string Password) Login => (PostgresServer.User, PostgresServer.Password);

    protected override int ServerPort => server.Port;

    protected override string WrongPasswordError => "password authentication failed";

    protected override (string Query, string Expected) CurrentUser => ("SELECT current_user", PostgresServer.User);

    protected override string ServerPortQuery => "SELECT inet_server_port()";

    protected override async Task<string> SeededCloneAsync()
    {
        var database = await server.CreateDatabaseAsync("clone");
        await server.ExecuteAsync(database, await File.ReadAllTextAsync(Repo.PathOf("Tests", "Core.Tests", "Fixtures", "seed-shop.sql")));
        return database;
    }

    protected override Task<List<object[]>> RowsAsync(string database, string sql) => server.QueryAsync(database, sql);

    protected override Dictionary<string, string> HookEnvironment(string database) => server.HookEnvironment(database);

    protected override async Task<(string User, string Password)> LoginWithPasswordAsync(string database, string password)
    {
        var user = "qa_quoting_" + Guid.NewGuid().ToString("N")[..8];
        await server.CreateLoginAsync(user, password);
        return (user, password);
    }

    protected override DbConnectionStringBuilder ConnectionStringBuilder(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString);

    protected override string SchemaOf(string database) => "public";

    protected override string TextColumnType => "text";

    protected override Task ExecuteAsync(string database, string sql) => server.ExecuteAsync(database, sql);

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
            HookScripts.Masking(EngineFamily.PostgreSql, ConnectionRoute.Direct, ["masking/02-broken.sql"]), HookEnvironment(database), project.FullName);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("masking/02-broken.sql:3: ERROR:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("no_such_column", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await RowsAsync(database, "SELECT id, full_name FROM customers ORDER BY id"));
        project.Delete(recursive: true);
    }

    [Fact]
    public async Task A_tunnel_that_cannot_open_fails_with_the_bastion_named()
    {
        var environment = HookEnvironment(await SeededCloneAsync());
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
            + HookScripts.Masking(EngineFamily.PostgreSql, ConnectionRoute.Direct, "masking/policy.yaml", [MaskingFile])
            + HookScripts.Masking(EngineFamily.MySql, ConnectionRoute.Direct, "masking/policy.yaml", [])
            + HookScripts.SmokeCheck(EngineFamily.MySql, ConnectionRoute.Direct);

        Assert.DoesNotContain(PostgresServer.Password, script, StringComparison.Ordinal);
        Assert.Contains("PGPASSWORD=\"$QA_DB_PASSWORD\"", script, StringComparison.Ordinal);
        Assert.Contains("--defaults-file=\"$mysql_options_dir/client.cnf\"", script, StringComparison.Ordinal);
        Assert.DoesNotContain("MYSQL_PWD", script, StringComparison.Ordinal);
        Assert.Contains("\"$(qa_db_quoted \"${QA_DB_PASSWORD}\")\"", script, StringComparison.Ordinal);
        Assert.Contains("export QA_DB_CONNECTION", script, StringComparison.Ordinal);
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
}
