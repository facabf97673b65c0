using System.Diagnostics;
using QaDatabases.Configuration;
using QaDatabases.Expiry;

namespace QaDatabases.Cli.Commands;

/// <summary>
/// Reports which QA environments have expired and prints the Pulumi commands that remove them; with
/// <c>--execute</c> it runs them, one stack at a time, and stops at the first failure.
/// </summary>
internal static class ExpiredCommand
{
    public static async Task<int> RunAsync(string file, string? leasesFile, DateTimeOffset now, bool execute, string pulumi, TextWriter output)
    {
        var json = file == "-" ? await Console.In.ReadToEndAsync() : await File.ReadAllTextAsync(file);
        IReadOnlyList<ExpiryVerdict> verdicts;
        try
        {
            verdicts = ExpiryReport.Evaluate(ExpiryReport.ParseDescribeDbClusters(json), now);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            throw new UsageException($"{file}: {e.Message}");
        }

        await output.WriteLineAsync($"{verdicts.Count} QA environment(s) at {UtcTimestamp.Format(now)}:");
        foreach (var v in verdicts)
        {
            var state = v.State switch
            {
                ExpiryState.Expired => $"EXPIRED at {UtcTimestamp.Format(v.ExpiresAt!.Value)}",
                ExpiryState.Active => $"active until {UtcTimestamp.Format(v.ExpiresAt!.Value)}",
                ExpiryState.NoExpiryTag => "no expiry tag: left alone, check by hand",
                ExpiryState.PoolMember => $"member of pool {v.Cluster.Tags[Tagging.ResourceTags.Pool]}: its refill re-clones it; never expired",
                ExpiryState.Golden => "a golden: its stack refreshes it and other stacks clone it; never expired",
                ExpiryState.MalformedExpiryTag => $"malformed expiry tag '{v.Cluster.Tags[Tagging.ResourceTags.ExpiresAt]}': left alone, check by hand",
                _ => "no stack tag: left alone, find its owner",
            };
            await output.WriteLineAsync($"  {v.Cluster.ClusterIdentifier,-40} {v.Stack ?? "-",-40} {state}");
        }

        var claims = leasesFile is null ? [] : await ClaimsAsync(leasesFile, now);
        if (leasesFile is not null)
        {
            await output.WriteLineAsync($"{claims.Count} claim(s) on pool members:");
            foreach (var c in claims)
            {
                var state = c.State switch
                {
                    ExpiryState.Expired => $"EXPIRED at {UtcTimestamp.Format(c.ExpiresAt!.Value)}",
                    ExpiryState.Active => $"active until {UtcTimestamp.Format(c.ExpiresAt!.Value)}",
                    ExpiryState.NoExpiryTag => "no expiry in its lease: left alone, check by hand",
                    _ => "malformed expiry in its lease: left alone, check by hand",
                };
                await output.WriteLineAsync($"  {$"{c.Pool} member {c.Member}",-40} {c.Holder,-40} {state}");
            }
        }

        var commands = verdicts.SelectMany(v => v.Commands).Concat(claims.SelectMany(c => c.Commands)).ToList();
        if (commands.Count == 0)
        {
            await output.WriteLineAsync("Nothing to remove.");
            return 0;
        }

        await output.WriteLineAsync(execute ? "Running:" : "To remove the expired environments, run:");
        foreach (var command in commands)
        {
            await output.WriteLineAsync($"  {string.Join(' ', command.Select(ShellQuote))}");
            if (execute)
            {
                var exitCode = await RunAsync(pulumi, command.Skip(1), output);
                if (exitCode != 0)
                {
                    await output.WriteLineAsync($"qa-db: `{command[0]} {command[1]}` exited with {exitCode}; stopping.");
                    return 1;
                }
            }
        }

        return 0;
    }

    private static async Task<int> RunAsync(string executable, IEnumerable<string> arguments, TextWriter output)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await output.WriteAsync(await stdout);
        await output.WriteAsync(await stderr);
        return process.ExitCode;
    }

    private static string ShellQuote(string word) =>
        word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:@".Contains(c, StringComparison.Ordinal)) ? word : $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    private static async Task<IReadOnlyList<ClaimVerdict>> ClaimsAsync(string leasesFile, DateTimeOffset now)
    {
        try
        {
            return ExpiryReport.EvaluateClaims(Pool.PoolReport.ParseGetParametersByPath(await File.ReadAllTextAsync(leasesFile)), now);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or IOException)
        {
            throw new UsageException($"{leasesFile}: {e.Message}");
        }
    }
}
