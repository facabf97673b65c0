using System.Data.Common;
using MySqlConnector;
using QaDatabases.Capacity;
using QaDatabases.Hooks;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

/// <summary>
/// The Aurora MySQL path of the post-clone hooks, with the real mysql client against a real
/// MySQL-protocol server: the shared promises of <see cref="HookScriptContract"/>, and what the mysql
/// client needs done its own way (one transaction per file, TLS flags, the password file).
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
public class MySqlHookScriptTests(MariaDbServer server) : HookScriptContract
{
    protected override EngineFamily Engine => EngineFamily.MySql;

    protected override string MaskingFile => "masking/mysql/01-mask-personal-data.sql";

    protected override (string User, string Password) Login => (MariaDbServer.User, MariaDbServer.Password);

    protected override int ServerPort => server.Port;

    protected override string WrongPasswordError => $"Access denied for user '{MariaDbServer.User}'";

    protected override (string Query, string Expected) CurrentUser => ("SELECT current_user()", $"{MariaDbServer.User}@%");

    protected override string ServerPortQuery => "SELECT @@port";

    protected override async Task<string> SeededCloneAsync()
    {
        var database = await server.CreateDatabaseAsync("clone");
        await server.ExecuteAsync(database, await File.ReadAllTextAsync(Repo.PathOf("Tests", "Core.Tests", "Fixtures", "seed-shop-mysql.sql")));
        return database;
    }

    protected override Task<List<object[]>> RowsAsync(string database, string sql) => server.QueryAsync(database, sql);

    protected override Dictionary<string, string> HookEnvironment(string database) => server.HookEnvironment(database);

    protected override async Task<(string User, string Password)> LoginWithPasswordAsync(string database, string password)
    {
        var user = "qa_quoting_" + Guid.NewGuid().ToString("N")[..8];
        await server.CreateUserAsync(user, password);
        return (user, password);
    }

    protected override DbConnectionStringBuilder ConnectionStringBuilder(string connectionString) => new MySqlConnectionStringBuilder(connectionString);

    protected override string SchemaOf(string database) => database;

    protected override string ScopedTo(string database, string policy) => $"schemas: [{database}]\n{policy}";

    protected override string TextColumnType => "varchar(20)";

    protected override Task ExecuteAsync(string database, string sql) => server.ExecuteAsync(database, sql);

    [Fact]
    public async Task A_broken_sql_file_fails_naming_the_file_and_line_and_undoes_the_statements_before_the_error()
    {
        var database = await SeededCloneAsync();
        using var project = new TempProject();
        project.Write("masking/02-broken.sql", "UPDATE customers SET full_name = 'first statement ran';\n\nUPDATE customers SET no_such_column = 1;\n");
        var before = await RowsAsync(database, Personal);

        var result = await Bash.RunAsync(Masking("masking/02-broken.sql"), HookEnvironment(database), project.Path);

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

        var result = await Bash.RunAsync(Masking("unterminated.sql"), HookEnvironment(database), project.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("qa-db: unterminated.sql failed", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await RowsAsync(database, Personal));
    }

    [Fact]
    public async Task Each_file_commits_on_its_own_so_earlier_files_stay_applied()
    {
        var database = await SeededCloneAsync();
        using var project = new TempProject();
        project.Write("a.sql", "UPDATE customers SET country = 'XX' WHERE id = 1;\n");
        project.Write("b.sql", "UPDATE customers SET no_such_column = 1;\n");

        var result = await Bash.RunAsync(Masking("a.sql", "b.sql"), HookEnvironment(database), project.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("XX", (await RowsAsync(database, "SELECT country FROM customers WHERE id = 1"))[0][0]);
    }

    [Fact]
    public async Task With_tls_required_a_server_without_tls_is_refused_before_any_masking()
    {
        var database = await SeededCloneAsync();
        var environment = HookEnvironment(database);
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
        var environment = HookEnvironment(await SeededCloneAsync());
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
}
