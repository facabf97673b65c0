namespace QaDatabases.Preflight;

/// <summary>What DescribeDBClusters says of the source.</summary>
public sealed record SourceClusterState(
    string Identifier,
    string Status,
    string Engine,
    int InstanceCount,
    string? CloneGroupId,
    string DbSubnetGroupName,
    IReadOnlyList<string> AvailabilityZones,
    DateTimeOffset? EarliestRestorableTime,
    DateTimeOffset? LatestRestorableTime);

/// <summary>What DescribeDBSubnetGroups says of a subnet group.</summary>
public sealed record SubnetGroupState(string Name, string VpcId, IReadOnlyList<string> AvailabilityZones);

/// <summary>The account's DBClusters quota in the region (DescribeAccountAttributes).</summary>
public sealed record ClusterQuota(long Used, long Max);

/// <summary>Everything the preflight reads, gathered by a thin AWS SDK adapter (or a test's fake).</summary>
public sealed record PreflightFacts(
    SourceClusterState? Source,
    SubnetGroupState? SourceSubnetGroup,
    SubnetGroupState? TargetSubnetGroup,
    ClusterQuota? Quota,
    int ClustersInCloneGroup)
{
    /// <summary>
    /// Every DB cluster of the account and region with its tags, as DescribeDBClusters lists them: what
    /// <see cref="EnvironmentCap"/> counts. Null when they were not read (the cap is then not checked).
    /// </summary>
    public IReadOnlyList<Expiry.TaggedCluster>? Clusters { get; init; }
}

/// <summary>Reads the facts. The real one calls RDS through AWSSDK.RDS; tests use fakes.</summary>
public interface IPreflightFactsSource
{
    Task<PreflightFacts> ReadAsync(string sourceClusterIdentifier, string? targetSubnetGroupName, CancellationToken cancellationToken);
}
