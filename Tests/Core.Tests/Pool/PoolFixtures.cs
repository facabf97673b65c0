using QaDatabases.Configuration;
using QaDatabases.Pool;

namespace QaDatabases.Tests.Pool;

/// <summary>Pool records as the pool stack writes them, for tests.</summary>
internal static class PoolFixtures
{
    /// <summary>What a masking hook with the example policy reports.</summary>
    public const string MaskingSummary = "policy masking/policy.yaml: 6 columns masked in 2 tables, 0 tables truncated, 9 kept; gate passed";

    /// <summary>A member's ready record; <paramref name="masked"/> false: the pool published it unmasked (allowUnmaskedData).</summary>
    public static MemberReady Ready(string pool, int member, int generation = 1, DateTimeOffset? createdAt = null, bool masked = true) => new(
        $"{pool}-m{member}-db{(generation > 1 ? $"-g{generation}" : "")}",
        $"{pool}-m{member}-db.cluster-abc123.eu-west-1.rds.amazonaws.com",
        $"{pool}-m{member}-db.cluster-ro-abc123.eu-west-1.rds.amazonaws.com",
        5432,
        $"arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-m{member}",
        "postgres",
        $"cluster-M{member}G{generation}",
        "orders",
        "aurora-postgresql",
        "sg-0aaaabbbbccccdddd",
        "prod-orders",
        generation,
        UtcTimestamp.Format(createdAt ?? new DateTimeOffset(2026, 11, 25, 5, 0, 0, TimeSpan.Zero)),
        masked ? MaskingSummary : MaskingSettings.UnmaskedSummary,
        masked);

    /// <summary>SSM parameters of one member: ready, and optionally a lease and a used mark.</summary>
    public static IEnumerable<ObservedParameter> Member(string pool, int n, MemberReady? ready, MemberLease? lease = null, MemberUsed? used = null)
    {
        if (ready is not null)
        {
            yield return new(PoolPaths.Ready(pool, n), PoolJson.Write(ready));
        }

        if (lease is not null)
        {
            yield return new(PoolPaths.Lease(pool, n), PoolJson.Write(lease));
        }

        if (used is not null)
        {
            yield return new(PoolPaths.Used(pool, n), PoolJson.Write(used));
        }
    }
}
