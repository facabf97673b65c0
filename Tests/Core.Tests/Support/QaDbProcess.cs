namespace QaDatabases.Tests.Support;

/// <summary>
/// Runs the built <c>qa-db</c> as its own process, the way a Pulumi <c>local.Command</c> runs it:
/// arguments, environment, exit code, stdout and stderr.
/// </summary>
internal static class QaDbProcess
{
    public static Task<ScriptResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        RunAsync(environment, [], arguments);

    /// <summary>The same, without the named variables of the test process (to run without AWS credentials, say).</summary>
    public static Task<ScriptResult> RunAsync(IReadOnlyDictionary<string, string> environment, IReadOnlyCollection<string> unset, params string[] arguments) =>
        Processes.RunAsync(
            System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "qa-db.dll"), .. arguments],
            environment,
            unset: unset);
}
