using System.Globalization;
using QaDatabases.Aws;
using QaDatabases.Configuration;
using QaDatabases.Expiry;
using QaDatabases.Pool;

namespace QaDatabases.Cli.Commands;

/// <summary>
/// <c>qa-db pool</c>: the report, and the lease commands a claiming stack's and a pool stack's
/// <c>pulumi up</c> run (claim, release, refill-lease, refill-done). Each has a typed method; the
/// verb parsing here is only the thin wiring for the hand parser.
/// </summary>
internal static class PoolCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var verb = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "report";
        var options = CommandOptions.Parse(verb == "report" && (args.Length == 0 || args[0] != "report") ? args : args.Skip(1));
        var pool = options.Get("pool") ?? throw new UsageException("--pool POOL_STACK is required");
        var region = options.Get("region");
        string Stack() => options.Get("stack") ?? throw new UsageException("--stack ORG/PROJECT/STACK is required: the claiming stack's fully qualified name");
        int Member() => int.TryParse(options.Get("member"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw new UsageException("--member N is required: the member's number, 1 or more");

        switch (verb)
        {
            case "claim":
                {
                    var stack = Stack();
                    options.RejectUnknown();
                    return await ClaimAsync(pool, stack, region, stdout, stderr);
                }

            case "release":
                {
                    var stack = Stack();
                    int? member = options.Get("member") is null ? null : Member();
                    options.RejectUnknown();
                    return await ReleaseAsync(pool, stack, member, region, stdout, stderr);
                }

            case "refill-lease":
            case "refill-done":
                {
                    var member = Member();
                    options.RejectUnknown();
                    return await RefillAsync(verb == "refill-lease", pool, member, region, stdout, stderr);
                }

            case "report":
                {
                    var clusters = options.Get("clusters") ?? throw new UsageException("--clusters FILE is required (the output of `aws rds describe-db-clusters --output json`)");
                    var leases = options.Get("leases") ?? throw new UsageException($"--leases FILE is required (the output of `aws ssm get-parameters-by-path --path {PoolPaths.Pool(pool)} --recursive --output json`)");
                    var now = options.GetTimestamp("now") ?? DateTimeOffset.UtcNow;
                    options.RejectUnknown();
                    return await ReportAsync(pool, clusters, leases, now, stdout);
                }

            default:
                throw new UsageException($"unknown pool command '{verb}'");
        }
    }

    /// <summary>Prints the claimed member as one JSON line; exit 3 with the reason when none is free.</summary>
    public static async Task<int> ClaimAsync(string pool, string stack, string? region, TextWriter stdout, TextWriter stderr)
    {
        using var store = new SsmPoolStore(region);
        var result = await new PoolLeases(store).ClaimAsync(pool, stack, CancellationToken.None);
        if (result.Claimed is { } claimed)
        {
            await stdout.WriteLineAsync(PoolJson.Write(claimed));
            return 0;
        }

        await stderr.WriteLineAsync(result.State.Members.Count == 0
            ? $"qa-db: unknown pool {pool}: no members under {PoolPaths.Members(pool)} in this account and region"
            : $"qa-db: {PoolDecisions.NoFreeMemberMessage(result.State)}");
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
