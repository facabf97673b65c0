namespace QaDatabases.Tests.Support;

/// <summary>The result of a script run the way Pulumi.Command's Local.Command runs it.</summary>
public sealed record ScriptResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs a hook script exactly as the Local.Command does: interpreter + script, environment, working directory.</summary>
internal static class Bash
{
    public static Task<ScriptResult> RunAsync(string script, IReadOnlyDictionary<string, string> environment, string workingDirectory) =>
        Processes.RunAsync(QaDatabases.Hooks.HookScripts.Interpreter[0], [.. QaDatabases.Hooks.HookScripts.Interpreter.Skip(1), script], environment, workingDirectory);
}
