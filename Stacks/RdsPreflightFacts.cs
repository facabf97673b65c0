using Amazon.RDS;
using Amazon.RDS.Model;
using QaDatabases.Aws;
using QaDatabases.Expiry;
using QaDatabases.Faults;
using QaDatabases.Preflight;

namespace QaDatabases.Stacks;

/// <summary>
/// Reads the preflight facts with the AWS SDK: three read-only Describe calls. Every decision about
/// them is made by <see cref="PreflightCheck"/>, which is tested without AWS. The calls retry and
/// time out as <see cref="AwsClientSettings"/> says; an expected fault (unreachable, throttled,
/// denied, no credentials) surfaces as an <see cref="AwsFaultException"/> naming the call.
/// </summary>
internal sealed class RdsPreflightFacts(AwsClientSettings settings) : IPreflightFactsSource
{
    public async Task<PreflightFacts> ReadAsync(string sourceClusterIdentifier, string? targetSubnetGroupName, CancellationToken cancellationToken)
    {
        using var rds = new AwsClient<AmazonRDSClient, AmazonRDSConfig>(StackConfig.AwsRegion(), settings, config => new AmazonRDSClient(config));

        DBCluster cluster;
        try
        {
            var response = await rds.CallAsync(
                AwsCall.Rds(rds.Region, "DescribeDBClusters", $"cluster:{sourceClusterIdentifier}", $"source cluster {sourceClusterIdentifier}"),
                (client, token) => client.DescribeDBClustersAsync(new DescribeDBClustersRequest { DBClusterIdentifier = sourceClusterIdentifier }, token),
                cancellationToken);
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

        var attributes = await rds.CallAsync(
            AwsCall.Rds(rds.Region, "DescribeAccountAttributes", "*", "the account's quotas"),
            (client, token) => client.DescribeAccountAttributesAsync(new DescribeAccountAttributesRequest(), token),
            cancellationToken);
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
    private static async Task<IReadOnlyList<TaggedCluster>> TaggedClustersAsync(AwsClient<AmazonRDSClient, AmazonRDSConfig> rds, CancellationToken cancellationToken)
    {
        var clusters = new List<TaggedCluster>();
        string? marker = null;
        do
        {
            var page = await rds.CallAsync(
                AwsCall.Rds(rds.Region, "DescribeDBClusters", "cluster:*", "the account's clusters"),
                (client, token) => client.DescribeDBClustersAsync(new DescribeDBClustersRequest { Marker = marker }, token),
                cancellationToken);
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

    private static async Task<SubnetGroupState?> SubnetGroupAsync(AwsClient<AmazonRDSClient, AmazonRDSConfig> rds, string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await rds.CallAsync(
                AwsCall.Rds(rds.Region, "DescribeDBSubnetGroups", $"subgrp:{name}", $"DB subnet group {name}"),
                (client, token) => client.DescribeDBSubnetGroupsAsync(new DescribeDBSubnetGroupsRequest { DBSubnetGroupName = name }, token),
                cancellationToken);
            var group = response.DBSubnetGroups![0];
            var zones = (group.Subnets ?? []).Select(s => s.SubnetAvailabilityZone?.Name).OfType<string>().Distinct().ToList();
            return new SubnetGroupState(group.DBSubnetGroupName, group.VpcId, zones);
        }
        catch (DBSubnetGroupNotFoundException)
        {
            return null;
        }
    }

    private static async Task<int> CloneGroupSizeAsync(AwsClient<AmazonRDSClient, AmazonRDSConfig> rds, string? cloneGroupId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(cloneGroupId))
        {
            return 0;
        }

        var count = 0;
        string? marker = null;
        do
        {
            var page = await rds.CallAsync(
                AwsCall.Rds(rds.Region, "DescribeDBClusters", "cluster:*", $"the clusters of clone group {cloneGroupId}"),
                (client, token) => client.DescribeDBClustersAsync(new DescribeDBClustersRequest
                {
                    Filters = [new Filter { Name = "clone-group-id", Values = [cloneGroupId] }],
                    Marker = marker,
                }, token),
                cancellationToken);
            count += page.DBClusters?.Count ?? 0;
            marker = page.Marker;
        }
        while (!string.IsNullOrEmpty(marker));

        return count;
    }

    private static DateTimeOffset? ToUtc(DateTime? time) =>
        time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t.ToUniversalTime(), DateTimeKind.Utc)) : null;
}
