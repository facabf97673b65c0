using System.Globalization;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests.Masking;

/// <summary>
/// <c>qa-db masking</c> as its own process, the way the masking hook runs it, where no database
/// answers: what it prints and which exit code it gives before (or instead of) reaching one.
/// </summary>
public class MaskingCliTests
{
    private static readonly string Policy = Repo.PathOf("masking", "policy.yaml");

    /// <summary>A port on 127.0.0.1 with nothing listening: connections are refused at once.</summary>
    private static string ClosedPort() => PostgresServer.FreePort().ToString(CultureInfo.InvariantCulture);

    private static string ConnectionTo(string engine, string port) => engine == "postgresql"
        ? $"Host=127.0.0.1;Port={port};Username=qa;Password=pw;Database=shop;Timeout=5"
        : $"Server=127.0.0.1;Port={port};User ID=qa;Password=pw;Database=shop;Connection Timeout=5";

    [Theory]
    [InlineData("postgresql", "apply")]
    [InlineData("postgresql", "check")]
    [InlineData("mysql", "apply")]
    [InlineData("mysql", "check")]
    public async Task An_unreachable_database_is_one_line_naming_host_and_port_and_exit_4(string engine, string command)
    {
        var port = ClosedPort();

        var result = await QaDbProcess.RunAsync(new Dictionary<string, string> { ["QA_DB_CONNECTION"] = ConnectionTo(engine, port) },
            "masking", command, "--policy", Policy, "--engine", engine);

        Assert.Equal((4, ""), (result.ExitCode, result.Stdout));
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"qa-db: cannot reach the database at 127.0.0.1:{port} while connecting (", line, StringComparison.Ordinal);
        Assert.EndsWith("check that the clone is available and that this machine can reach it (connectionRoute, security group, tunnel), then run again", line, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_policy_is_refused_with_its_file_and_line_before_any_connection()
    {
        using var project = new TempProject();
        project.Write("policy.yaml", "tables:\n  customers:\n    columns:\n      email: scramble\n");
        var policy = Path.Combine(project.Path, "policy.yaml");

        var result = await QaDbProcess.RunAsync(new Dictionary<string, string> { ["QA_DB_CONNECTION"] = ConnectionTo("postgresql", ClosedPort()) },
            "masking", "apply", "--policy", policy, "--engine", "postgresql");

        Assert.Equal((1, ""), (result.ExitCode, result.Stdout));
        Assert.Contains($"{policy}:4: customers.email: unknown strategy 'scramble'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_string_comes_only_from_the_environment()
    {
        var result = await QaDbProcess.RunAsync(new Dictionary<string, string> { ["QA_DB_CONNECTION"] = "" },
            "masking", "check", "--policy", Policy, "--engine", "mysql", "--connection-env", "QA_DB_NOT_SET_ANYWHERE");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("environment variable QA_DB_NOT_SET_ANYWHERE is not set: it holds the clone's MySqlConnector connection string (never passed on the command line)", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--engine 'oracle': expected postgresql or mysql", "masking", "check", "--policy", "p.yaml", "--engine", "oracle")]
    [InlineData("--policy", "masking", "apply", "--engine", "mysql")]
    [InlineData("--out", "masking", "init", "--engine", "mysql")]
    public async Task A_wrong_command_line_is_a_usage_error_saying_what_is_wrong(string expected, params string[] arguments)
    {
        var result = await QaDbProcess.RunAsync(new Dictionary<string, string>(), arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_never_overwrites_an_existing_policy_unless_forced()
    {
        using var project = new TempProject();
        project.Write("policy.yaml", "# reviewed\n");
        var output = Path.Combine(project.Path, "policy.yaml");

        var result = await QaDbProcess.RunAsync(new Dictionary<string, string> { ["QA_DB_CONNECTION"] = ConnectionTo("postgresql", ClosedPort()) },
            "masking", "init", "--out", output, "--engine", "postgresql");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{output} exists; init drafts a new policy and never overwrites a reviewed one", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("# reviewed\n", await File.ReadAllTextAsync(output));
    }
}
