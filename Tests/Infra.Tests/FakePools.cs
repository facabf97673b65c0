using QaDatabases.Pool;

namespace QaDatabases.Infra.Tests;

/// <summary>Answers the program's read-only pool state read with canned SSM parameters.</summary>
internal sealed class FakePools(params ObservedParameter[] parameters) : IPoolStateSource
{
    public Task<PoolState> ReadAsync(string pool, CancellationToken cancellationToken) => Task.FromResult(PoolState.From(pool, parameters));

    public Task<string?> ReadParameterAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(parameters.FirstOrDefault(p => p.Name == name)?.Value);

    /// <summary>A member's ready record; <paramref name="masked"/> false: its pool published it unmasked.</summary>
    public static ObservedParameter Ready(string pool, int n, int generation = 1, string createdAt = "2026-11-25T05:00:00Z", bool masked = true) => new(
        PoolPaths.Ready(pool, n),
        PoolJson.Write(new MemberReady($"{pool}-m{n}-db", "e", "r", 5432, "arn", "postgres", $"cluster-M{n}", "orders", "aurora-postgresql", "sg-1", "prod-orders", generation, createdAt,
            masked ? RecordingMocks.MaskingSummary : QaDatabases.Configuration.MaskingSettings.UnmaskedSummary, masked)));

    public static ObservedParameter Lease(string pool, int n, string holder) => new(PoolPaths.Lease(pool, n), PoolJson.Write(new MemberLease(holder, "2026-11-25T06:00:00Z")));

    public static ObservedParameter Used(string pool, int n) => new(PoolPaths.Used(pool, n), PoolJson.Write(new MemberUsed("acme/qa-db/pr-1", "2026-11-25T06:00:00Z")));
}
