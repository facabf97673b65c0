using Amazon;
using Amazon.RDS;
using Amazon.RDS.Model;
using QaDatabases.Expiry;
using QaDatabases.Preflight;

namespace QaDatabases.Stacks;

/// <summary>
/// Reads the preflight facts with the AWS SDK: three read-only Describe calls. Every decision about
/// them is made by <see cref="PreflightCheck"/>, which is tested without AWS.
/// </summary>
internal sealed class RdsPreflightFacts : IPreflightFactsSource
{
    public async Task<PreflightFacts> ReadAsync(string sourceClusterIdentifier, string? targetSubnetGroupName, CancellationToken cancellationToken)
    {
        using var rds = StackConfig.AwsRegion() is { Length: > 0 } region
            ? new AmazonRDSClient(RegionEndpoint.GetBySystemName(region))
            : new AmazonRDSClient();

        DBCluster cluster;
        try
        {
            var response = await rds.DescribeDBClustersAsync(
                new DescribeDBClustersRequest { DBClusterIdentifier = sourceClusterIdentifier }, cancellationToken);
            cluster = response.DBClusters![0];
        }
        catch (DBClusterNotFoundException)
        {
            return new PreflightFacts(null, null, null, null, 0);
        }

        var source = new SourceClusterState(
            cluster.DBClusterIdentifier,
            cluster.Status,
            cluster.Engine,
            cluster.DBClusterMembers?.Count ?? 0,
            cluster.CloneGroupId,
            cluster.DBSubnetGroup,
            cluster.AvailabilityZones ?? [],
            ToUtc(cluster.EarliestRestorableTime),
            ToUtc(cluster.LatestRestorableTime));

        var sourceSubnets = await SubnetGroupAsync(rds, cluster.DBSubnetGroup, cancellationToken);
        var targetSubnets = targetSubnetGroupName is null ? null : await SubnetGroupAsync(rds, targetSubnetGroupName, cancellationToken);

        var attributes = await rds.DescribeAccountAttributesAsync(new DescribeAccountAttributesRequest(), cancellationToken);
        var quota = attributes.AccountQuotas?.FirstOrDefault(q => q.AccountQuotaName == "DBClusters") is { } q
            ? new ClusterQuota(q.Used ?? 0, q.Max ?? long.MaxValue)
            : null;

        return new PreflightFacts(source, sourceSubnets, targetSubnets, quota, await CloneGroupSizeAsync(rds, cluster.CloneGroupId, cancellationToken))
        {
            Clusters = await TaggedClustersAsync(rds, cancellationToken),
        };
    }

    /// <summary>
    /// Every cluster of the account and region with its tags, which DescribeDBClusters includes: what
    /// <see cref="EnvironmentCap"/> counts. RDS cannot filter by tag, so all are listed, page by page.
    /// </summary>
    private static async Task<IReadOnlyList<TaggedCluster>> TaggedClustersAsync(AmazonRDSClient rds, CancellationToken cancellationToken)
    {
        var clusters = new List<TaggedCluster>();
        string? marker = null;
        do
        {
            var page = await rds.DescribeDBClustersAsync(new DescribeDBClustersRequest { Marker = marker }, cancellationToken);
            foreach (var c in page.DBClusters ?? [])
            {
                var tags = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var tag in c.TagList ?? [])
                {
                    if (tag.Key is { } key && tag.Value is { } value)
                    {
                        tags[key] = value;
                    }
                }

                clusters.Add(new TaggedCluster(c.DBClusterIdentifier, tags, c.Status, ToUtc(c.ClusterCreateTime)));
            }

            marker = page.Marker;
        }
        while (!string.IsNullOrEmpty(marker));

        return clusters;
    }

    private static async Task<SubnetGroupState?> SubnetGroupAsync(AmazonRDSClient rds, string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await rds.DescribeDBSubnetGroupsAsync(new DescribeDBSubnetGroupsRequest { DBSubnetGroupName = name }, cancellationToken);
            var group = response.DBSubnetGroups![0];
            var zones = (group.Subnets ?? []).Select(s => s.SubnetAvailabilityZone?.Name).OfType<string>().Distinct().ToList();
            return new SubnetGroupState(group.DBSubnetGroupName, group.VpcId, zones);
        }
        catch (DBSubnetGroupNotFoundException)
        {
            return null;
        }
    }

    private static async Task<int> CloneGroupSizeAsync(AmazonRDSClient rds, string? cloneGroupId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(cloneGroupId))
        {
            return 0;
        }

        var count = 0;
        string? marker = null;
        do
        {
            var page = await rds.DescribeDBClustersAsync(new DescribeDBClustersRequest
            {
                Filters = [new Filter { Name = "clone-group-id", Values = [cloneGroupId] }],
                Marker = marker,
            }, cancellationToken);
            count += page.DBClusters?.Count ?? 0;
            marker = page.Marker;
        }
        while (!string.IsNullOrEmpty(marker));

        return count;
    }

    private static DateTimeOffset? ToUtc(DateTime? time) =>
        time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t.ToUniversalTime(), DateTimeKind.Utc)) : null;
}
