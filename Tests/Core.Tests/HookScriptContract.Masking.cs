using System.Data.Common;
using System.Globalization;
using QaDatabases.Capacity;
using QaDatabases.Hooks;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

/// <summary>
/// The masking hook with a policy, on every engine: the script Pulumi.Command runs (bash -c, the
/// hook's environment, the project directory as working directory) runs the shipped qa-db CLI from
/// <see cref="ShippedCli.AssemblyPath"/>, which here is a link to the test binaries' folder (it holds
/// qa-db.dll). The seeded shop database stands in for the clone.
/// </summary>
public abstract partial class HookScriptContract
{
    /// <summary>The repository's example policy, for the shop fixture: customers and users masked, orders kept.</summary>
    protected static string ShopPolicy => File.ReadAllText(Repo.PathOf("masking", "policy.yaml"));

    /// <summary>A password with everything a connection string or a shell could misread.</summary>
    protected const string AwkwardPassword = "p;w\"d 'x'=y ;Port=1; \\ $HOME";

    /// <summary>A login (created for the test) whose password is <paramref name="password"/>, allowed to mask the database.</summary>
    protected abstract Task<(string User, string Password)> LoginWithPasswordAsync(string database, string password);

    /// <summary>The builder of the engine's client library, to read back the connection string the hook composed.</summary>
    protected abstract DbConnectionStringBuilder ConnectionStringBuilder(string connectionString);

    /// <summary>The schema the gate names the fixture's tables in (PostgreSQL: public; MySQL: the database).</summary>
    protected abstract string SchemaOf(string database);

    /// <summary>The engine's type of a short text column, for a column a migration adds.</summary>
    protected abstract string TextColumnType { get; }

    /// <summary>
    /// The policy as it applies to <paramref name="database"/> alone. The test servers hold every
    /// test's database side by side, and a policy without <c>schemas:</c> covers whatever the login
    /// can see (on MySQL, every database).
    /// </summary>
    protected virtual string ScopedTo(string database, string policy) => policy;

    /// <summary>
    /// A project whose masking/policy.yaml is <paramref name="policy"/> (default: the example) scoped
    /// to <paramref name="database"/>, and whose shipped CLI is the test binaries' build of qa-db,
    /// with the given extra files.
    /// </summary>
    private TempProject MaskingProject(string database, string? policy = null, params (string Path, string Content)[] files)
    {
        var project = new TempProject();
        project.Write("masking/policy.yaml", ScopedTo(database, policy ?? ShopPolicy));
        foreach (var (path, content) in files)
        {
            project.Write(path, content);
        }

        var shipped = Path.Combine(project.Path, Path.GetDirectoryName(ShippedCli.AssemblyPath)!);
        Directory.CreateDirectory(Path.GetDirectoryName(shipped)!);
        Directory.CreateSymbolicLink(shipped, AppContext.BaseDirectory.TrimEnd('/'));
        return project;
    }

    /// <summary>The hook's environment, with the dotnet that runs these tests first on PATH, as on a runner with the SDK.</summary>
    protected Dictionary<string, string> MaskingEnvironment(string database)
    {
        var environment = HookEnvironment(database);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        environment["PATH"] = dotnet is null ? path : $"{Path.GetDirectoryName(dotnet)}:{path}";
        return environment;
    }

    protected string PolicyHook(params string[] scripts) => HookScripts.Masking(Engine, ConnectionRoute.Direct, "masking/policy.yaml", scripts);

    private const string PersonalOf42 = "SELECT email, phone, full_name FROM customers WHERE id = 42";

    private const string SummaryPattern = @"^policy masking/policy\.yaml: \d+ columns? masked in \d+ tables?, \d+ tables? truncated, \d+ kept; gate passed";

    [Fact]
    public async Task The_policy_hook_masks_with_the_shipped_cli_and_prints_one_summary_line()
    {
        var database = await SeededCloneAsync();
        using var project = MaskingProject(database);
        var before = await RowsAsync(database, Personal);

        var result = await Bash.RunAsync(PolicyHook(), MaskingEnvironment(database), project.Path);

        Assert.True(result.ExitCode == 0, result.Stderr);
        // The example policy masks email, phone, full_name and date_of_birth of customers, username and
        // password_hash of users, and keeps the other 11 columns.
        Assert.Equal("policy masking/policy.yaml: 6 columns masked in 2 tables, 0 tables truncated, 11 kept; gate passed\n", result.Stdout);
        var after = await RowsAsync(database, Personal);
        Assert.Equal(before.Select(r => r[0]), after.Select(r => r[0]));
        Assert.All(before.Zip(after), pair => Assert.NotEqual(pair.First[1], pair.Second[1]));
    }

    [Fact]
    public async Task An_unclassified_column_fails_the_gate_with_the_list_and_publishes_nothing_masked_or_not()
    {
        var database = await SeededCloneAsync();
        await ExecuteAsync(database, $"ALTER TABLE customers ADD COLUMN phone_mobile {TextColumnType}");
        using var project = MaskingProject(database);
        var before = await RowsAsync(database, PersonalOf42);

        var result = await Bash.RunAsync(PolicyHook(), MaskingEnvironment(database), project.Path);

        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        Assert.Contains($"{SchemaOf(database)}.customers.phone_mobile (", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
        // The hook failed, so Pulumi writes no SSM parameter: the data stays, unmasked, where nobody is told to look.
        Assert.Equal(before, await RowsAsync(database, PersonalOf42));
    }

    [Fact]
    public async Task Scripts_run_after_the_policy_and_the_gate_checks_again_before_the_summary()
    {
        var database = await SeededCloneAsync();
        using var project = MaskingProject(database, files: ("masking/after.sql", "UPDATE customers SET country = 'XX';\n"));

        var result = await Bash.RunAsync(PolicyHook("masking/after.sql"), MaskingEnvironment(database), project.Path);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = Assert.Single(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(SummaryPattern + "; then masking/after.sql ran and the gate passed again$", line);
        Assert.Empty(await RowsAsync(database, "SELECT 1 FROM customers WHERE country <> 'XX'"));
        Assert.Empty(await RowsAsync(database, "SELECT 1 FROM customers WHERE email NOT LIKE '%@%'"));
    }

    [Fact]
    public async Task A_script_that_writes_back_personal_data_fails_the_second_gate()
    {
        var database = await SeededCloneAsync();
        using var project = MaskingProject(database, files: ("masking/undo.sql", "UPDATE customers SET full_name = 'Ada Lovelace' WHERE id = 42;\n"));

        var result = await Bash.RunAsync(PolicyHook("masking/undo.sql"), MaskingEnvironment(database), project.Path);

        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        Assert.Contains("full_name", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task A_password_with_quotes_semicolons_equals_signs_and_spaces_reaches_the_database_intact()
    {
        var database = await SeededCloneAsync();
        var (user, password) = await LoginWithPasswordAsync(database, AwkwardPassword);
        using var project = MaskingProject(database);
        var environment = MaskingEnvironment(database);
        environment["QA_DB_USER"] = user;
        environment["QA_DB_PASSWORD"] = password;

        var result = await Bash.RunAsync(PolicyHook(), environment, project.Path);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Matches(SummaryPattern, result.Stdout);
        Assert.DoesNotContain(password, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_string_reaches_the_cli_in_its_environment_only_and_reads_back_to_every_value()
    {
        const string Database = "shop db";
        using var project = MaskingProject(Database);
        // A dotnet on PATH before the real one records its arguments and the connection string it was given.
        project.Write("bin/dotnet", "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"$SPY_DIR/args\"\nprintf '%s' \"$QA_DB_CONNECTION\" > \"$SPY_DIR/connection\"\necho 'policy masking/policy.yaml: 1 columns masked in 1 tables, 0 tables truncated, 0 kept; gate passed'\n");
        File.SetUnixFileMode(Path.Combine(project.Path, "bin", "dotnet"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var environment = HookEnvironment(Database);
        environment["QA_DB_PASSWORD"] = AwkwardPassword;
        environment["QA_DB_SSLMODE"] = HookScripts.AuroraSslMode;
        environment["PATH"] = $"{Path.Combine(project.Path, "bin")}:{Environment.GetEnvironmentVariable("PATH")}";
        environment["SPY_DIR"] = project.Path;

        var result = await Bash.RunAsync(PolicyHook(), environment, project.Path);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var arguments = await File.ReadAllTextAsync(Path.Combine(project.Path, "args"));
        Assert.Equal($"{ShippedCli.AssemblyPath} masking apply --policy masking/policy.yaml --engine {HookScripts.CliEngine(Engine)}\n", arguments);
        var connection = ConnectionStringBuilder(await File.ReadAllTextAsync(Path.Combine(project.Path, "connection")));
        Assert.Equal(AwkwardPassword, connection["Password"]);
        Assert.Equal(Database, connection["Database"]);
        Assert.Equal(environment["QA_DB_USER"], connection[Engine == EngineFamily.PostgreSql ? "Username" : "User ID"]);
        Assert.Equal(ServerPort.ToString(CultureInfo.InvariantCulture), Convert.ToString(connection["Port"], CultureInfo.InvariantCulture));
        Assert.Equal(Engine == EngineFamily.PostgreSql ? "Require" : "Required", Convert.ToString(connection[Engine == EngineFamily.PostgreSql ? "SSL Mode" : "SslMode"], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task With_tls_required_a_server_without_tls_is_refused_and_nothing_is_masked()
    {
        var database = await SeededCloneAsync();
        using var project = MaskingProject(database);
        var environment = MaskingEnvironment(database);
        environment["QA_DB_SSLMODE"] = HookScripts.AuroraSslMode;
        var before = await RowsAsync(database, PersonalOf42);

        var result = await Bash.RunAsync(PolicyHook(), environment, project.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal(before, await RowsAsync(database, PersonalOf42));
    }

    [Fact]
    public async Task An_unreachable_clone_fails_the_hook_as_unavailable()
    {
        var database = await SeededCloneAsync();
        using var project = MaskingProject(database);
        var environment = MaskingEnvironment(database);
        environment["QA_DB_PORT"] = PostgresServer.FreePort().ToString(CultureInfo.InvariantCulture);

        var result = await Bash.RunAsync(PolicyHook(), environment, project.Path);

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Through_the_ssm_port_forward_the_policy_is_applied_and_the_tunnel_closed()
    {
        var database = await SeededCloneAsync();
        using var project = MaskingProject(database);
        var environment = MaskingEnvironment(database);
        environment["QA_DB_BASTION"] = "i-0fedcba9876543210";
        environment["QA_DB_LOCAL_PORT"] = PostgresServer.FreePort().ToString(CultureInfo.InvariantCulture);
        environment["PATH"] = $"{FakeAws}:{environment["PATH"]}";
        var before = await RowsAsync(database, PersonalOf42);

        var result = await Bash.RunAsync(HookScripts.Masking(Engine, ConnectionRoute.SsmPortForward, "masking/policy.yaml", []), environment, project.Path);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Matches(SummaryPattern, result.Stdout);
        Assert.NotEqual(before, await RowsAsync(database, PersonalOf42));
        await Task.Delay(300);
        Assert.False(IsListening(int.Parse(environment["QA_DB_LOCAL_PORT"], CultureInfo.InvariantCulture)), "the tunnel must be closed when the hook ends");
    }

    [Fact]
    public async Task A_policy_that_hashes_gets_its_salt_from_the_hooks_environment()
    {
        var database = await SeededCloneAsync();
        using var project = MaskingProject(database, ShopPolicy.Replace("password_hash: { constant: \"masked:reset-required\" }", "password_hash: hash", StringComparison.Ordinal));
        var environment = MaskingEnvironment(database);
        environment[HookScripts.MaskingSaltVariable] = "a-salt-of-more-than-16-characters";
        const string Hashes = "SELECT password_hash FROM users ORDER BY id";
        var before = await RowsAsync(database, Hashes);

        var result = await Bash.RunAsync(PolicyHook(), environment, project.Path);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Matches(SummaryPattern, result.Stdout);
        Assert.All(before.Zip(await RowsAsync(database, Hashes)), pair => Assert.NotEqual(pair.First[0], pair.Second[0]));
    }

    /// <summary>Runs SQL against one database of the engine's server.</summary>
    protected abstract Task ExecuteAsync(string database, string sql);
}
