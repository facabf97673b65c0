using QaDatabases.Preflight;

namespace QaDatabases.Infra.Tests;

/// <summary>Answers the preflight's describe calls with canned facts, and counts the calls.</summary>
internal sealed class FakePreflight(PreflightFacts facts) : IPreflightFactsSource
{
    public static readonly PreflightFacts Healthy = new(
        new SourceClusterState("prod-orders", "available", "aurora-postgresql", 2, "clone-group-1", "prod-private",
            ["eu-west-1a", "eu-west-1b"], DateTimeOffset.UtcNow.AddDays(-7), DateTimeOffset.UtcNow.AddMinutes(-5)),
        new SubnetGroupState("prod-private", "vpc-0a1b2c3d4e5f60718", ["eu-west-1a", "eu-west-1b"]),
        null,
        new ClusterQuota(5, 40),
        4);

    /// <summary>Subnet groups other than the source's that exist in the fake account.</summary>
    public static readonly IReadOnlyList<SubnetGroupState> OtherSubnetGroups =
    [
        new("qa-subnets", "vpc-0a1b2c3d4e5f60718", ["eu-west-1a", "eu-west-1b"]),
        new("qa-other-vpc", "vpc-0ffffffffffffffff", ["eu-west-1a", "eu-west-1b"]),
    ];

    public int Calls { get; private set; }

    public Task<PreflightFacts> ReadAsync(string sourceClusterIdentifier, string? targetSubnetGroupName, CancellationToken cancellationToken)
    {
        Calls++;
        var target = facts.TargetSubnetGroup ?? OtherSubnetGroups.FirstOrDefault(g => g.Name == targetSubnetGroupName);
        return Task.FromResult(facts with { TargetSubnetGroup = target });
    }
}
