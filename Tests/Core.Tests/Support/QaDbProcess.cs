using System.Diagnostics;

namespace QaDatabases.Tests.Support;

/// <summary>
/// Runs the built <c>qa-db</c> as its own process, the way a Pulumi <c>local.Command</c> runs it:
/// arguments, environment, exit code, stdout and stderr.
/// </summary>
internal static class QaDbProcess
{
    public static async Task<ScriptResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "qa-db.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

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
