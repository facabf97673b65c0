using QaDatabases.Access;
using QaDatabases.Aws;
using QaDatabases.Configuration;
using QaDatabases.Expiry;
using QaDatabases.Faults;
using QaDatabases.Pool;

namespace QaDatabases.Cli.Commands;

/// <summary>
/// <c>qa-db pool</c>: the report, and the lease commands a claiming stack's and a pool stack's
/// <c>pulumi up</c> run (claim, release, refill-lease, refill-done), one typed method each; the
/// options are parsed in <see cref="QaDbCli"/>.
/// </summary>
internal static class PoolCommand
{
    /// <summary>
    /// Prints the claimed member as one JSON line; exit 3 with the reason when none is free. A fault
    /// leaves nothing leased, or says which lease is left (see <see cref="PoolLeases.ClaimAsync"/>).
    /// </summary>
    public static Task<int> ClaimAsync(
        string pool, string stack, string? region, ExpiryPolicy? expiry, bool acceptUnmasked, TextWriter stdout, TextWriter stderr) =>
        AgainstSsmAsync(pool, region, stderr, async leases =>
        {
            var result = await leases.ClaimAsync(pool, stack, CancellationToken.None, expiry, acceptUnmasked);
            if (result.Claimed is { } claimed)
            {
                await stdout.WriteLineAsync(PoolJson.Write(claimed));
                return ExitCodes.Done;
            }

            await stderr.WriteLineAsync(result.State.Members.Count == 0
                ? $"qa-db: unknown pool {pool}: no members under {PoolPaths.Members(pool)} in this account and region"
                : $"qa-db: {PoolDecisions.NoFreeMemberMessage(result.State, acceptUnmasked)}");
            return PoolDecisions.NoFreeMemberExitCode;
        });

    /// <summary>Marks the stack's member used, then ends its lease; after a fault, the same release run again finishes it.</summary>
    public static Task<int> ReleaseAsync(string pool, string stack, int? member, string? region, TextWriter stdout, TextWriter stderr) =>
        AgainstSsmAsync(pool, region, stderr, async leases =>
            await PrintAsync(await leases.ReleaseAsync(pool, stack, member, CancellationToken.None), stdout, stderr));

    /// <summary>refill-lease and refill-done; after a fault, the same command run again finishes it.</summary>
    public static Task<int> RefillAsync(bool takeLease, string pool, int member, string? region, TextWriter stdout, TextWriter stderr) =>
        AgainstSsmAsync(pool, region, stderr, async leases => await PrintAsync(
            takeLease
                ? await leases.LeaseForRefillAsync(pool, member, CancellationToken.None)
                : await leases.FinishRefillAsync(pool, member, CancellationToken.None),
            stdout,
            stderr));

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

    /// <summary>A lease change's message: on stdout when it happened, else on stderr with exit 1.</summary>
    private static async Task<int> PrintAsync(LeaseChange change, TextWriter stdout, TextWriter stderr)
    {
        await (change.Succeeded ? stdout : stderr).WriteLineAsync(change.Succeeded ? change.Message : $"qa-db: {change.Message}");
        return change.Succeeded ? ExitCodes.Done : ExitCodes.Rejected;
    }

    /// <summary>
    /// Runs a lease command against SSM. An expected AWS fault becomes its one line and exit code
    /// (<see cref="AwsFaults"/>); a denial is explained against the deployer policy's statements for
    /// this pool. <c>QA_DB_DEBUG=1</c> adds the full exception. Anything unexpected propagates with
    /// its stack trace: that is a bug.
    /// </summary>
    private static async Task<int> AgainstSsmAsync(string pool, string? region, TextWriter stderr, Func<PoolLeases, Task<int>> run)
    {
        AwsClientSettings settings;
        try
        {
            settings = AwsClientSettings.FromEnvironment();
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }

        using var store = new SsmPoolStore(region, settings);
        try
        {
            return await run(new PoolLeases(store));
        }
        catch (AwsFaultException e)
        {
            var policy = DeployerPolicy.Permissions(AccessScope.ForPools(e.Fault.Call.Region, [pool]));
            var left = e.LeftBehind is null ? "" : $" Left behind: {e.LeftBehind}.";
            await stderr.WriteLineAsync($"qa-db: {AwsFaults.Describe(e.Fault, policy)}{left}");
            if (AwsFaults.DebugRequested(Environment.GetEnvironmentVariable))
            {
                await stderr.WriteLineAsync(e.ToString());
            }

            return AwsFaults.ExitCode(e.Fault.Kind);
        }
    }
}
