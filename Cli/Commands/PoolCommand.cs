using System.Globalization;
using QaDatabases.Aws;
using QaDatabases.Configuration;
using QaDatabases.Expiry;
using QaDatabases.Pool;

namespace QaDatabases.Cli.Commands;

/// <summary>
/// <c>qa-db pool</c>: the report, and the lease commands a claiming stack's and a pool stack's
/// <c>pulumi up</c> run (claim, release, refill-lease, refill-done), one typed method each; the
/// options are parsed in <see cref="QaDbCli"/>.
/// </summary>
internal static class PoolCommand
{
    /// <summary>Prints the claimed member as one JSON line; exit 3 with the reason when none is free.</summary>
    public static async Task<int> ClaimAsync(
        string pool, string stack, string? region, ExpiryPolicy? expiry, bool acceptUnmasked, TextWriter stdout, TextWriter stderr)
    {
        using var store = new SsmPoolStore(region);
        var result = await new PoolLeases(store).ClaimAsync(pool, stack, CancellationToken.None, expiry, acceptUnmasked);
        if (result.Claimed is { } claimed)
        {
            await stdout.WriteLineAsync(PoolJson.Write(claimed));
            return 0;
        }

        await stderr.WriteLineAsync(result.State.Members.Count == 0
            ? $"qa-db: unknown pool {pool}: no members under {PoolPaths.Members(pool)} in this account and region"
            : $"qa-db: {PoolDecisions.NoFreeMemberMessage(result.State, acceptUnmasked)}");
        return PoolDecisions.NoFreeMemberExitCode;
    }

    public static async Task<int> ReleaseAsync(string pool, string stack, int? member, string? region, TextWriter stdout, TextWriter stderr)
    {
        using var store = new SsmPoolStore(region);
        var change = await new PoolLeases(store).ReleaseAsync(pool, stack, member, CancellationToken.None);
        await (change.Succeeded ? stdout : stderr).WriteLineAsync(change.Succeeded ? change.Message : $"qa-db: {change.Message}");
        return change.Succeeded ? 0 : 1;
    }

    public static async Task<int> RefillAsync(bool takeLease, string pool, int member, string? region, TextWriter stdout, TextWriter stderr)
    {
        using var store = new SsmPoolStore(region);
        var leases = new PoolLeases(store);
        var change = takeLease
            ? await leases.LeaseForRefillAsync(pool, member, CancellationToken.None)
            : await leases.FinishRefillAsync(pool, member, CancellationToken.None);
        await (change.Succeeded ? stdout : stderr).WriteLineAsync(change.Succeeded ? change.Message : $"qa-db: {change.Message}");
        return change.Succeeded ? 0 : 1;
    }

    public static async Task<int> ReportAsync(string pool, string clustersFile, string leasesFile, DateTimeOffset now, TextWriter stdout)
    {
        IReadOnlyList<MemberReport> members;
        try
        {
            var clusters = ExpiryReport.ParseDescribeDbClusters(await File.ReadAllTextAsync(clustersFile));
            var state = PoolState.From(pool, PoolReport.ParseGetParametersByPath(await File.ReadAllTextAsync(leasesFile)));
            members = PoolReport.Evaluate(state, clusters, now);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or IOException)
        {
            throw new UsageException(e.Message);
        }

        await stdout.WriteAsync(PoolReport.Render(pool, members, now));
        return 0;
    }
}
