using System.Text.Json;
using QaDatabases.Configuration;
using QaDatabases.Tagging;

namespace QaDatabases.Expiry;

/// <summary>A QA clone found in AWS, with the tags our stacks put on it (and, where AWS said, its status and creation time).</summary>
public sealed record TaggedCluster(string ClusterIdentifier, IReadOnlyDictionary<string, string> Tags, string? Status = null, DateTimeOffset? CreatedAt = null);

/// <summary>Where an environment stands against its expiry.</summary>
public enum ExpiryState
{
    Expired,
    Active,

    /// <summary>No expiry tag: made before expiry existed, or tags were edited by hand. Reported, never destroyed.</summary>
    NoExpiryTag,

    /// <summary>An expiry tag that is not a UTC timestamp. Reported, never destroyed.</summary>
    MalformedExpiryTag,

    /// <summary>No stack tag, so no stack to destroy. Reported for a human to look at.</summary>
    NoStackTag,

    /// <summary>A member of a pool: its pool's refill re-clones it; the sweep must not destroy the pool stack.</summary>
    PoolMember,
}

/// <summary>One environment's verdict and, when expired, the commands that remove it.</summary>
public sealed record ExpiryVerdict(TaggedCluster Cluster, ExpiryState State, string? Stack, DateTimeOffset? ExpiresAt)
{
    /// <summary>Destroy every resource of the stack, then remove the stack and its history.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Commands => State == ExpiryState.Expired && Stack is not null ? RemoveStack(Stack) : [];

    /// <summary>The two commands that remove an expired stack: destroy its resources, then the stack and its history.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> RemoveStack(string stack) =>
    [
        ["pulumi", "destroy", "--stack", stack, "--yes", "--skip-preview", "--non-interactive"],
        ["pulumi", "stack", "rm", stack, "--yes", "--non-interactive"],
    ];
}

/// <summary>
/// A claim on a pool member. A claiming stack has no cluster (and so no tags) of its own: its expiry
/// is in its lease, and removing the expired stack releases the member (its destroy runs the release).
/// </summary>
public sealed record ClaimVerdict(string Pool, int Member, string Holder, ExpiryState State, DateTimeOffset? ExpiresAt)
{
    public IReadOnlyList<IReadOnlyList<string>> Commands => State == ExpiryState.Expired ? ExpiryVerdict.RemoveStack(Holder) : [];
}

/// <summary>
/// Decides which environments have expired, from cluster tags alone. Tags rather than stack outputs:
/// they live on the resource in AWS, so one DescribeDBClusters call per region sees every clone the
/// tool made, including one whose stack was lost or lives in a backend the caller cannot read.
/// </summary>
public static class ExpiryReport
{
    /// <summary>Reads the JSON that <c>aws rds describe-db-clusters</c> prints, keeping only our clusters.</summary>
    public static IReadOnlyList<TaggedCluster> ParseDescribeDbClusters(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("DBClusters", out var clusters) || clusters.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("Expected the output of `aws rds describe-db-clusters --output json`: an object with a DBClusters array.");
        }

        var result = new List<TaggedCluster>();
        foreach (var cluster in clusters.EnumerateArray())
        {
            var id = cluster.TryGetProperty("DBClusterIdentifier", out var idElement) ? idElement.GetString() : null;
            if (id is null)
            {
                continue;
            }

            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            if (cluster.TryGetProperty("TagList", out var tagList) && tagList.ValueKind == JsonValueKind.Array)
            {
                foreach (var tag in tagList.EnumerateArray())
                {
                    if (tag.TryGetProperty("Key", out var key) && tag.TryGetProperty("Value", out var value)
                        && key.GetString() is { } k && value.GetString() is { } v)
                    {
                        tags[k] = v;
                    }
                }
            }

            if (ResourceTags.IsMadeByTheTool(tags))
            {
                var status = cluster.TryGetProperty("Status", out var s) ? s.GetString() : null;
                DateTimeOffset? created = cluster.TryGetProperty("ClusterCreateTime", out var c) && c.ValueKind == JsonValueKind.String
                    && DateTimeOffset.TryParse(c.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
                    ? t.ToUniversalTime()
                    : null;
                result.Add(new TaggedCluster(id, tags, status, created));
            }
        }

        return result;
    }

    public static IReadOnlyList<ExpiryVerdict> Evaluate(IEnumerable<TaggedCluster> clusters, DateTimeOffset now) =>
        clusters.OrderBy(c => c.ClusterIdentifier, StringComparer.Ordinal).Select(c => Evaluate(c, now)).ToList();

    private static ExpiryVerdict Evaluate(TaggedCluster cluster, DateTimeOffset now)
    {
        var stack = cluster.Tags.GetValueOrDefault(ResourceTags.Stack);
        if (string.IsNullOrWhiteSpace(stack))
        {
            return new ExpiryVerdict(cluster, ExpiryState.NoStackTag, null, null);
        }

        if (cluster.Tags.ContainsKey(ResourceTags.Pool))
        {
            return new ExpiryVerdict(cluster, ExpiryState.PoolMember, stack, null);
        }

        if (!cluster.Tags.TryGetValue(ResourceTags.ExpiresAt, out var expiresText))
        {
            return new ExpiryVerdict(cluster, ExpiryState.NoExpiryTag, stack, null);
        }

        if (!UtcTimestamp.TryParse(expiresText, out var expiresAt))
        {
            return new ExpiryVerdict(cluster, ExpiryState.MalformedExpiryTag, stack, null);
        }

        return new ExpiryVerdict(cluster, expiresAt <= now ? ExpiryState.Expired : ExpiryState.Active, stack, expiresAt);
    }

    /// <summary>
    /// The claims among the pool parameters <c>aws ssm get-parameters-by-path --path /qa-db/pools/
    /// --recursive</c> prints: each claiming stack's lease against its expiry. A pool's own refill
    /// lease is not a claim and never expires here.
    /// </summary>
    public static IReadOnlyList<ClaimVerdict> EvaluateClaims(IEnumerable<Pool.ObservedParameter> parameters, DateTimeOffset now)
    {
        var byPool = parameters
            .Where(p => p.Name.StartsWith(Pool.PoolPaths.Root, StringComparison.Ordinal))
            .GroupBy(p => p.Name[Pool.PoolPaths.Root.Length..].Split('/')[0], StringComparer.Ordinal);
        var verdicts = new List<ClaimVerdict>();
        foreach (var pool in byPool.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (var member in Pool.PoolState.From(pool.Key, pool).Members)
            {
                if (member.Lease is not { } lease || lease.Holder == Pool.PoolPaths.RefillHolder(pool.Key))
                {
                    continue;
                }

                var (state, expiresAt) = lease.ExpiresAt switch
                {
                    null => (ExpiryState.NoExpiryTag, (DateTimeOffset?)null),
                    var text when UtcTimestamp.TryParse(text, out var at) => (at <= now ? ExpiryState.Expired : ExpiryState.Active, at),
                    _ => (ExpiryState.MalformedExpiryTag, null),
                };
                var verdict = new ClaimVerdict(pool.Key, member.Number, lease.Holder, state, expiresAt);
                verdicts.Add(verdict);
            }
        }

        return verdicts;
    }
}
