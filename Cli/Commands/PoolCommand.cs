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
    /// Run by a claiming stack, under the deployer role.
    /// </summary>
    public static Task<int> ClaimAsync(
        string pool, string stack, string? region, ExpiryPolicy? expiry, bool acceptUnmasked, TextWriter stdout, TextWriter stderr) =>
        AgainstSsmAsync(pool, AccessRole.Deployer, region, stderr, async leases =>
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

    /// <summary>
    /// Marks the stack's member used, then ends its lease; after a fault, the same release run again
    /// finishes it. Run by a claiming stack's <c>pulumi destroy</c>, under the deployer role.
    /// </summary>
    public static Task<int> ReleaseAsync(string pool, string stack, int? member, string? region, TextWriter stdout, TextWriter stderr) =>
        AgainstSsmAsync(pool, AccessRole.Deployer, region, stderr, async leases =>
            await SsmCommand.PrintAsync(await leases.ReleaseAsync(pool, stack, member, CancellationToken.None), stdout, stderr));

    /// <summary>
    /// refill-lease and refill-done; after a fault, the same command run again finishes it. Run by the
    /// pool stack, under the stewards' role.
    /// </summary>
    public static Task<int> RefillAsync(bool takeLease, string pool, int member, string? region, TextWriter stdout, TextWriter stderr) =>
        AgainstSsmAsync(pool, AccessRole.Stewards, region, stderr, async leases => await SsmCommand.PrintAsync(
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

    /// <summary>
    /// Runs a lease command against SSM (<see cref="SsmCommand"/>); a fault's line is explained against
    /// <paramref name="role"/>'s policy for this pool.
    /// </summary>
    private static Task<int> AgainstSsmAsync(string pool, AccessRole role, string? region, TextWriter stderr, Func<PoolLeases, Task<int>> run) =>
        SsmCommand.RunAsync(region, stderr, at => [RolePermissions.Of(AccessScope.ForState(role, at, pools: [pool]))], store => run(new PoolLeases(store)));
}
