using System.Globalization;
using System.Text.Json;
using QaDatabases.Capacity;
using QaDatabases.Hooks;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

/// <summary>
/// The Aurora MySQL path of the post-clone hooks, run exactly as Pulumi.Command runs them (bash -c
/// script, environment), with the real mysql client against a real MySQL-protocol server.
///
/// What differs from Aurora MySQL 3 (MySQL 8.0-compatible), and what it means for these tests:
/// <list type="bullet">
/// <item>The server is Debian's MariaDB 10.11. It speaks the same protocol and the SQL the hooks and
/// the example script use (UPDATE, CONCAT, LPAD, DATE + INTERVAL, START TRANSACTION, recursive
/// CTEs); it is started with MySQL 8.0's sql_mode and utf8mb4. It lacks MySQL-8-only SQL a masking
/// script might reach for (REGEXP_LIKE, REGEXP_REPLACE's position/occurrence arguments, the
/// utf8mb4_0900 collations, UUID_TO_BIN), and MySQL 8 stops recursive CTEs at 1000 levels
/// (cte_max_recursion_depth), MariaDB does not. Both commit implicitly on DDL, and both check UNIQUE
/// indexes row by row during an UPDATE, which is what a masking script has to respect.</item>
/// <item>The client is Debian's mysql, which is MariaDB's: it takes --ssl/--skip-ssl, not Oracle's
/// --ssl-mode. The hook picks the flags from `mysql --version`; Oracle's branch (--ssl-mode) is not
/// run here, since Debian ships no Oracle client.</item>
/// <item>No TLS locally (QA_DB_SSLMODE=disable); Aurora always offers TLS and the hooks require it.
/// One test shows that with require, a server without TLS is refused rather than used in plain text.</item>
/// <item>Authentication here is mysql_native_password. An Aurora MySQL 3 user may instead use
/// caching_sha2_password, which MariaDB's client handles through libmariadb3's client plugin; that
/// exchange is not exercised here.</item>
/// </list>
/// </summary>
[Collection(MariaDbTests.Name)]
public class MySqlHookScriptTests(MariaDbServer server)
{
    private const string MaskingFile = "masking/mysql/01-mask-personal-data.sql";
    private const string Personal = "SELECT id, email, phone, full_name, date_of_birth FROM customers ORDER BY id";
    private static readonly string FakeAws = Repo.PathOf("Tests", "Core.Tests", "Fixtures", "fake-aws");

    private async Task<string> SeededCloneAsync()
    {
        var database = await server.CreateDatabaseAsync("clone");
        await server.ExecuteAsync(database, await File.ReadAllTextAsync(Repo.PathOf("Tests", "Core.Tests", "Fixtures", "seed-shop-mysql.sql")));
        return database;
    }

    private Task<List<object[]>> RowsAsync(string database, string sql) => server.QueryAsync(database, sql);

    private static string Masking(params string[] files) => HookScripts.Masking(EngineFamily.MySql, ConnectionRoute.Direct, files);

    private static string SmokeCheck() => HookScripts.SmokeCheck(EngineFamily.MySql, ConnectionRoute.Direct);

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

        var result = await Bash.RunAsync(Masking(MaskingFile), server.HookEnvironment(database), Repo.Root);

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

        Assert.Equal(0, (await Bash.RunAsync(Masking(MaskingFile), server.HookEnvironment(database), Repo.Root)).ExitCode);
        var once = await RowsAsync(database, All);
        var again = await Bash.RunAsync(Masking(MaskingFile), server.HookEnvironment(database), Repo.Root);

        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(once, await RowsAsync(database, All));
        Assert.Equal("customer-42@example.invalid", (await RowsAsync(database, "SELECT email FROM customers WHERE id = 42"))[0][0]);
    }

    [Fact]
    public async Task A_broken_sql_file_fails_naming_the_file_and_line_and_undoes_the_statements_before_the_error()
    {
        var database = await SeededCloneAsync();
        using var project = new TempProject();
        project.Write("masking/02-broken.sql", "UPDATE customers SET full_name = 'first statement ran';\n\nUPDATE customers SET no_such_column = 1;\n");
        var before = await RowsAsync(database, Personal);

        var result = await Bash.RunAsync(Masking("masking/02-broken.sql"), server.HookEnvironment(database), project.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("at line 3: Unknown column 'no_such_column'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("qa-db: masking/02-broken.sql failed", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await RowsAsync(database, Personal));
    }

    [Fact]
    public async Task A_last_statement_without_a_semicolon_fails_the_file_instead_of_being_dropped()
    {
        var database = await SeededCloneAsync();
        using var project = new TempProject();
        project.Write("unterminated.sql", "UPDATE customers SET full_name = 'masked'");
        var before = await RowsAsync(database, Personal);

        var result = await Bash.RunAsync(Masking("unterminated.sql"), server.HookEnvironment(database), project.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("qa-db: unterminated.sql failed", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await RowsAsync(database, Personal));
    }

    [Fact]
    public async Task Later_files_do_not_run_after_a_failure()
    {
        var database = await SeededCloneAsync();
        using var project = new TempProject();
        project.Write("a.sql", "SELECT * FROM missing_table;\n");
        project.Write("b.sql", "UPDATE customers SET country = 'XX';\n");

        var result = await Bash.RunAsync(Masking("a.sql", "b.sql"), server.HookEnvironment(database), project.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("qa-db: a.sql failed", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(await RowsAsync(database, "SELECT 1 FROM customers WHERE country = 'XX'"));
    }

    [Fact]
    public async Task Each_file_commits_on_its_own_so_earlier_files_stay_applied()
    {
        var database = await SeededCloneAsync();
        using var project = new TempProject();
        project.Write("a.sql", "UPDATE customers SET country = 'XX' WHERE id = 1;\n");
        project.Write("b.sql", "UPDATE customers SET no_such_column = 1;\n");

        var result = await Bash.RunAsync(Masking("a.sql", "b.sql"), server.HookEnvironment(database), project.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("XX", (await RowsAsync(database, "SELECT country FROM customers WHERE id = 1"))[0][0]);
    }

    [Fact]
    public async Task The_smoke_check_prints_the_query_result()
    {
        var environment = server.HookEnvironment(await SeededCloneAsync());
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
        var environment = server.HookEnvironment(await SeededCloneAsync());
        environment["QA_DB_SMOKE_QUERY"] = "SELECT * FROM table_that_is_not_there";

        var result = await Bash.RunAsync(SmokeCheck(), environment, Repo.Root);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("table_that_is_not_there", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_fails_the_hook()
    {
        var environment = server.HookEnvironment(await SeededCloneAsync());
        environment["QA_DB_PASSWORD"] = "not-the-password";
        environment["QA_DB_SMOKE_QUERY"] = "SELECT 1";

        var result = await Bash.RunAsync(SmokeCheck(), environment, Repo.Root);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Access denied for user 'qa_admin'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_tls_required_a_server_without_tls_is_refused_before_any_masking()
    {
        var database = await SeededCloneAsync();
        var environment = server.HookEnvironment(database);
        environment["QA_DB_SSLMODE"] = HookScripts.AuroraSslMode;
        var before = await RowsAsync(database, Personal);

        var result = await Bash.RunAsync(Masking(MaskingFile), environment, Repo.Root);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"connection to 127.0.0.1:{server.Port} is not encrypted", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await RowsAsync(database, Personal));
    }

    [Fact]
    public async Task The_password_is_in_no_command_line_only_in_a_private_option_file_removed_when_the_hook_ends()
    {
        var environment = server.HookEnvironment(await SeededCloneAsync());
        using var temp = new TempProject();
        // A mysql on PATH before the real one records each command line and the option file's mode.
        var realMysql = Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(dir => Path.Combine(dir, "mysql")).First(File.Exists);
        temp.Write("bin/mysql", $$"""
            #!/usr/bin/env bash
            printf 'args: %s\n' "$*" >> "$MYSQL_SPY_LOG"
            for arg in "$@"; do
              case "$arg" in --defaults-file=*) stat -c 'mode: %a %n' "$(dirname "${arg#*=}")" "${arg#*=}" >> "$MYSQL_SPY_LOG" ;; esac
            done
            exec {{realMysql}} "$@"
            """);
        File.SetUnixFileMode(Path.Combine(temp.Path, "bin", "mysql"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Path.Combine(temp.Path, "tmp"));
        environment["PATH"] = $"{Path.Combine(temp.Path, "bin")}:{Environment.GetEnvironmentVariable("PATH")}";
        environment["TMPDIR"] = Path.Combine(temp.Path, "tmp");
        environment["MYSQL_SPY_LOG"] = Path.Combine(temp.Path, "spy.log");
        environment["QA_DB_SMOKE_QUERY"] = "SELECT 1";

        var result = await Bash.RunAsync(SmokeCheck(), environment, Repo.Root);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var log = await File.ReadAllLinesAsync(Path.Combine(temp.Path, "spy.log"));
        Assert.Contains(log, line => line.StartsWith("args: ", StringComparison.Ordinal) && line.Contains("SELECT 1", StringComparison.Ordinal));
        Assert.DoesNotContain(log, line => line.Contains(MariaDbServer.Password, StringComparison.Ordinal) || line.Contains("--password", StringComparison.Ordinal));
        var modes = log.Where(line => line.StartsWith("mode: ", StringComparison.Ordinal)).Select(line => line.Split(' ')[1]).Distinct().Order().ToList();
        Assert.Equal(new[] { "600", "700" }, modes);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(temp.Path, "tmp")));
    }

    [Fact]
    public async Task Without_a_password_the_hook_reads_it_from_the_clones_secret()
    {
        var environment = server.HookEnvironment(await SeededCloneAsync());
        environment.Remove("QA_DB_PASSWORD");
        const string Arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-abc-Xy12";
        environment["QA_DB_SECRET_ARN"] = Arn;
        environment["QA_DB_SMOKE_QUERY"] = "SELECT current_user()";
        environment["PATH"] = $"{FakeAws}:{Environment.GetEnvironmentVariable("PATH")}";
        environment["FAKE_AWS_EXPECT_REGION"] = "eu-west-1";
        environment["FAKE_AWS_EXPECT_SECRET_ID"] = Arn;
        environment["FAKE_AWS_SECRET_STRING"] = JsonSerializer.Serialize(new { username = MariaDbServer.User, password = MariaDbServer.Password });

        var result = await Bash.RunAsync(SmokeCheck(), environment, Repo.Root);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal($"{MariaDbServer.User}@%", result.Stdout.Trim());
        Assert.DoesNotContain(MariaDbServer.Password, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Through_the_ssm_port_forward_the_hooks_reach_the_clone()
    {
        var database = await SeededCloneAsync();
        var environment = server.HookEnvironment(database);
        environment["QA_DB_BASTION"] = "i-0fedcba9876543210";
        environment["QA_DB_LOCAL_PORT"] = PostgresServer.FreePort().ToString(CultureInfo.InvariantCulture);
        environment["QA_DB_SMOKE_QUERY"] = "SELECT @@port";
        environment["PATH"] = $"{FakeAws}:{Environment.GetEnvironmentVariable("PATH")}";

        var masking = await Bash.RunAsync(HookScripts.Masking(EngineFamily.MySql, ConnectionRoute.SsmPortForward, [MaskingFile]), environment, Repo.Root);
        var smoke = await Bash.RunAsync(HookScripts.SmokeCheck(EngineFamily.MySql, ConnectionRoute.SsmPortForward), environment, Repo.Root);

        Assert.True(masking.ExitCode == 0, masking.Stderr);
        Assert.Equal("customer-7@example.invalid", (await RowsAsync(database, "SELECT email FROM customers WHERE id = 7"))[0][0]);
        Assert.True(smoke.ExitCode == 0, smoke.Stderr);
        Assert.Equal(server.Port.ToString(CultureInfo.InvariantCulture), smoke.Stdout.Trim());
    }

    /// <summary>A throwaway project folder for SQL files of a test, deleted afterwards.</summary>
    private sealed class TempProject : IDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("qa-db-project-");

        public string Path => _directory.FullName;

        public void Write(string relativePath, string content)
        {
            var path = System.IO.Path.Combine(Path, relativePath);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        public void Dispose() => _directory.Delete(recursive: true);
    }
}
