using System.Diagnostics;

namespace QaDatabases.Tests.Support;

/// <summary>Runs the processes the tests start: servers' setup tools, hook scripts, the qa-db CLI.</summary>
internal static class Processes
{
    /// <summary>
    /// Runs a program to its end (at most 120 s) with the given arguments, environment additions and
    /// working directory, and returns its exit code and output, as Pulumi.Command's local.Command sees them.
    /// <paramref name="unset"/> names variables of this process the program must not inherit.
    /// </summary>
    public static async Task<ScriptResult> RunAsync(
        string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null,
        IEnumerable<string>? unset = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in unset ?? [])
        {
            start.Environment.Remove(key);
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

    public static void Run(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within 120s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {stdout.Result}{stderr.Result}");
        }
    }
}
