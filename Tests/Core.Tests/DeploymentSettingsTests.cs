using System.Text.Json;
using System.Text.RegularExpressions;
using QaDatabases.Capacity;
using QaDatabases.Hooks;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

/// <summary>
/// deploy/qa.deployment-settings.json: review stacks assume the deployer role through OIDC, and the
/// Deployments runner has every program the post-clone hooks call.
/// </summary>
public partial class DeploymentSettingsTests
{
    private static JsonElement OperationContext()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Repo.PathOf("deploy", "qa.deployment-settings.json")));
        return document.RootElement.GetProperty("operationContext").Clone();
    }

    private static List<string> PreRunCommands() =>
        OperationContext().GetProperty("preRunCommands").EnumerateArray().Select(c => c.GetString()!).ToList();

    /// <summary>Shell keywords and builtins: bash itself provides them.</summary>
    private static readonly HashSet<string> ShellBuiltins = new(StringComparer.Ordinal)
    {
        "set", "if", "then", "else", "fi", "until", "while", "do", "done", "exec", "trap", "kill", "echo", "export", "exit", "true", "false", "[", "test", "wait",
        "printf", "umask", "local", "return", "read", "case", "esac", "for", "in", "unset", "shift", "cd", "command",
    };

    /// <summary>
    /// Every external program a script runs: the first word of each command, after splitting at
    /// pipes, separators and command substitutions, and ignoring assignments, quoted text and
    /// arithmetic. `aws ssm start-session` also needs the Session Manager plugin, which aws runs itself.
    /// </summary>
    private static IEnumerable<string> ProgramsCalledBy(string script)
    {
        var text = ArithmeticExpansion().Replace(SingleQuoted().Replace(script.Replace("\\\n", " ", StringComparison.Ordinal), "''"), "0");
        var functions = FunctionDefinition().Matches(text).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        foreach (var part in CommandBoundary().Split(text))
        {
            var word = part.Trim().Split(' ', 2)[0];
            if (word.Length == 0 || !char.IsAsciiLetter(word[0]) || word.Contains('=', StringComparison.Ordinal) || ShellBuiltins.Contains(word)
                || functions.Contains(word))
            {
                continue;
            }

            yield return word;
            if (word == "aws" && part.Contains("ssm start-session", StringComparison.Ordinal))
            {
                yield return "session-manager-plugin";
            }
        }
    }

    private static SortedSet<string> ProgramsTheHooksCall()
    {
        var programs = new SortedSet<string>(StringComparer.Ordinal) { Path.GetFileName(HookScripts.Interpreter[0]) };
        foreach (var engine in new[] { EngineFamily.PostgreSql, EngineFamily.MySql })
        {
            foreach (var route in new[] { ConnectionRoute.Direct, ConnectionRoute.SsmPortForward })
            {
                programs.UnionWith(ProgramsCalledBy(HookScripts.Masking(engine, route, ["masking/01.sql"])));
                programs.UnionWith(ProgramsCalledBy(HookScripts.Masking(engine, route, "masking/policy.yaml", ["masking/01.sql"])));
                programs.UnionWith(ProgramsCalledBy(HookScripts.SmokeCheck(engine, route)));
            }
        }

        // Pool stacks and claiming stacks run the qa-db lease commands the same way.
        var expiry = new QaDatabases.Expiry.ExpiryPolicy.TimeToLive(TimeSpan.FromHours(72));
        foreach (var command in new[]
        {
            QaDatabases.Pool.PoolCommands.Claim("qa-pool", "acme/qa-db/pr-1", "eu-west-1", expiry),
            QaDatabases.Pool.PoolCommands.Release("qa-pool", "acme/qa-db/pr-1", "eu-west-1"),
            QaDatabases.Pool.PoolCommands.RefillLease("qa-pool", 1, "eu-west-1"),
            QaDatabases.Pool.PoolCommands.RefillDone("qa-pool", 1, "eu-west-1"),
        })
        {
            programs.UnionWith(ProgramsCalledBy(command));
        }

        return programs;
    }

    [Fact]
    public void The_hook_scripts_call_the_clients_the_aws_cli_and_python()
    {
        // Guards the extraction itself: were it to find nothing, the next test would pass vacuously.
        Assert.Superset(new SortedSet<string>(["aws", "bash", "dotnet", "mysql", "psql", "python3", "session-manager-plugin"], StringComparer.Ordinal), ProgramsTheHooksCall());
    }

    [Fact]
    public void Every_program_the_hooks_call_is_checked_for_on_the_runner_before_the_deployment()
    {
        var check = PreRunCommands().Single(c => c.StartsWith("for program in ", StringComparison.Ordinal));
        var checkedFor = check["for program in ".Length..check.IndexOf(';', StringComparison.Ordinal)].Split(' ');

        Assert.Empty(ProgramsTheHooksCall().Except(checkedFor, StringComparer.Ordinal));
    }

    private static string SdkCheck() => PreRunCommands().Single(c => c.StartsWith("dotnet --list-sdks", StringComparison.Ordinal));

    /// <summary>Runs the SDK check on a runner whose <c>dotnet</c> lists exactly <paramref name="sdks"/>.</summary>
    private static async Task<ScriptResult> RunSdkCheckWith(params string[] sdks)
    {
        using var runner = new TempProject();
        runner.Write("bin/dotnet", "#!/bin/sh\n[ \"$1\" = --list-sdks ] || exit 64\n" + string.Concat(sdks.Select(v => $"echo '{v} [/usr/share/dotnet/sdk]'\n")));
        File.SetUnixFileMode(Path.Combine(runner.Path, "bin", "dotnet"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        return await Processes.RunAsync("/bin/bash", ["-c", SdkCheck()],
            new Dictionary<string, string> { ["PATH"] = $"{Path.Combine(runner.Path, "bin")}:/usr/bin:/bin" });
    }

    [Fact]
    public async Task The_runner_check_stops_a_deployment_on_a_runner_without_the_net_sdk_the_program_targets()
    {
        var result = await RunSdkCheckWith("8.0.404", "9.0.100");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("qa-db: the Deployments runner has no .NET 10 SDK (dotnet --list-sdks: 8.0.404 9.0.100)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_runner_check_passes_a_runner_with_the_net_sdk_the_program_targets()
    {
        var result = await RunSdkCheckWith("8.0.404", "10.0.401");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void The_runner_check_asks_for_the_net_version_the_projects_target()
    {
        var props = System.Xml.Linq.XDocument.Load(Repo.PathOf("Directory.Build.props"));
        var framework = props.Descendants("TargetFramework").Single().Value;
        var major = framework["net".Length..framework.IndexOf('.', StringComparison.Ordinal)];

        Assert.Contains($"grep -q '^{major}\\.'", SdkCheck(), StringComparison.Ordinal);
        Assert.Contains($"no .NET {major} SDK", SdkCheck(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("psql", "postgresql-client")]
    [InlineData("mysql", "default-mysql-client")]
    [InlineData("python3", " python3 ")]
    [InlineData("aws", "awscli-exe-linux-$(uname -m).zip")]
    [InlineData("session-manager-plugin", "session-manager-plugin.deb")]
    public void Each_program_that_is_not_part_of_the_base_image_is_installed_when_missing(string program, string installs)
    {
        Assert.Contains(program, ProgramsTheHooksCall());
        var commands = PreRunCommands();
        var install = commands.FindIndex(c => c.Contains($"command -v {program} >/dev/null", StringComparison.Ordinal) && c.Contains(installs, StringComparison.Ordinal));
        var check = commands.FindIndex(c => c.StartsWith("for program in ", StringComparison.Ordinal));

        Assert.True(install >= 0, $"no preRunCommand installs {program}");
        Assert.True(install < check, "installs run before the check");
    }

    [Fact]
    public void Review_stacks_assume_the_deployer_role_through_oidc()
    {
        var aws = OperationContext().GetProperty("oidc").GetProperty("aws");

        Assert.Matches("^arn:aws:iam::[0-9]{12}:role/qa-db-deployer$", aws.GetProperty("roleArn").GetString());
        Assert.False(string.IsNullOrWhiteSpace(aws.GetProperty("sessionName").GetString()));
        Assert.Equal("1h0m0s", aws.GetProperty("duration").GetString());
    }

    [GeneratedRegex(@"'[^']*'")]
    private static partial Regex SingleQuoted();

    [GeneratedRegex(@"(?m)^\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*\(\)")]
    private static partial Regex FunctionDefinition();

    [GeneratedRegex(@"\$\(\([^)]*\)\)")]
    private static partial Regex ArithmeticExpansion();

    [GeneratedRegex(@"\n|\|\||&&|\||;|\$\(|\(|`|&")]
    private static partial Regex CommandBoundary();
}
