using System.Diagnostics;

namespace QaDatabases.Tests.Support;

/// <summary>The result of a script run the way Pulumi.Command's Local.Command runs it.</summary>
public sealed record ScriptResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs a hook script exactly as the Local.Command does: interpreter + script, environment, working directory.</summary>
internal static class Bash
{
    public static async Task<ScriptResult> RunAsync(string script, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var start = new ProcessStartInfo(QaDatabases.Hooks.HookScripts.Interpreter[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in QaDatabases.Hooks.HookScripts.Interpreter.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(script);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return new ScriptResult(process.ExitCode, await stdout, await stderr);
    }
}
