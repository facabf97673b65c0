using QaDatabases.Configuration;
using QaDatabases.Restore;

namespace QaDatabases.Preflight;

/// <summary>One rule the source broke, named so the error says what to fix.</summary>
public sealed record PreflightFailure(string Rule, string Message)
{
    public override string ToString() => $"[{Rule}] {Message}";
}

/// <summary>The verdict: failures (each fatal) and what to report even when all is well.</summary>
public sealed record PreflightResult(IReadOnlyList<PreflightFailure> Failures, int ClustersInCloneGroup)
{
    public bool Passed => Failures.Count == 0;

    /// <summary>How the stack stands against <c>maxEnvironments</c>; null when the clusters were not read.</summary>
    public CapVerdict? Cap { get; init; }
}

/// <summary>Raised before the clone is declared when the source cannot be cloned as configured.</summary>
public sealed class PreflightFailedException : Exception
{
    public PreflightFailedException(string sourceCluster, IReadOnlyList<PreflightFailure> failures)
        : base($"Preflight of source cluster '{sourceCluster}' failed; nothing was declared:"
               + string.Concat(failures.Select(f => $"{Environment.NewLine}  - {f}")))
        => Failures = failures;

    public PreflightFailedException()
        : base("Preflight failed.") => Failures = [];

    public PreflightFailedException(string message)
        : base(message) => Failures = [];

    public PreflightFailedException(string message, Exception innerException)
        : base(message, innerException) => Failures = [];

    public IReadOnlyList<PreflightFailure> Failures { get; }
}

/// <summary>
/// What would otherwise fail ten or more minutes into <c>pulumi up</c>, checked in a second:
/// the source exists, is available, is Aurora and has an instance (Aurora cannot clone a cluster
/// without one); a subnet group in another VPC covers the source's Availability Zones; the clone's
/// security group is in the subnet group's VPC; the restore time is inside the restorable window;
/// and the account can have one more DB cluster in the region; and a new environment stays within
/// <c>maxEnvironments</c> (<see cref="EnvironmentCap"/>).
/// </summary>
public static class PreflightCheck
{
    /// <param name="settings">The stack's settings.</param>
    /// <param name="facts">What the Describe calls said.</param>
    /// <param name="now">The time ages are counted to in the cap's message; now when null.</param>
    public static PreflightResult Evaluate(StackSettings settings, PreflightFacts facts, DateTimeOffset? now = null)
    {
        var failures = new List<PreflightFailure>();
        var id = settings.SourceClusterIdentifier;
        var source = facts.Source;
        if (source is null)
        {
            failures.Add(new("source-exists", $"No DB cluster '{id}' in this account and region."));
            return new PreflightResult(failures, 0);
        }

        if (source.Status != "available")
        {
            failures.Add(new("source-available", $"Source cluster '{id}' is '{source.Status}'; it must be 'available' to be cloned."));
        }

        if (!source.Engine.StartsWith("aurora", StringComparison.Ordinal))
        {
            failures.Add(new("source-is-aurora", $"Source cluster '{id}' runs '{source.Engine}'; copy-on-write clones exist only for Aurora."));
        }

        if (source.InstanceCount == 0)
        {
            failures.Add(new("source-has-instance", $"Source cluster '{id}' has no DB instance; Aurora cannot clone a cluster without one. Add an instance (it may be paused Serverless v2)."));
        }

        if (settings.Restore is RestoreChoice.PointInTime pit)
        {
            if (source.EarliestRestorableTime is { } earliest && pit.Time < earliest)
            {
                failures.Add(new("restore-time-in-window", $"restoreTime {pit.RestoreToTime} is before the earliest restorable time of '{id}' ({UtcTimestamp.Format(earliest)})."));
            }

            if (source.LatestRestorableTime is { } latest && pit.Time > latest)
            {
                failures.Add(new("restore-time-in-window", $"restoreTime {pit.RestoreToTime} is after the latest restorable time of '{id}' ({UtcTimestamp.Format(latest)})."));
            }
        }

        var target = settings.DbSubnetGroupName is null ? facts.SourceSubnetGroup : facts.TargetSubnetGroup;
        if (settings.DbSubnetGroupName is { } name && target is null)
        {
            failures.Add(new("subnet-group-exists", $"DB subnet group '{name}' (dbSubnetGroupName) does not exist."));
        }

        if (target is not null)
        {
            if (target.VpcId != settings.VpcId)
            {
                failures.Add(new("security-group-vpc", $"The clone's subnet group '{target.Name}' is in {target.VpcId} but vpcId is {settings.VpcId}; the security group must be in the cluster's VPC."));
            }

            var sourceVpc = facts.SourceSubnetGroup?.VpcId;
            if (settings.DbSubnetGroupName is not null && sourceVpc is not null && target.VpcId != sourceVpc)
            {
                var missing = source.AvailabilityZones.Except(target.AvailabilityZones, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                if (missing.Count > 0)
                {
                    failures.Add(new("cross-vpc-availability-zones",
                        $"A clone in another VPC needs a subnet group covering the source's Availability Zones; '{target.Name}' lacks {string.Join(", ", missing)}."));
                }
            }
        }

        if (facts.Quota is { } quota && quota.Used >= quota.Max)
        {
            failures.Add(new("cluster-quota", $"The account already has {quota.Used} of its {quota.Max} DB clusters in this region; request a quota increase or destroy an environment."));
        }

        var cap = facts.Clusters is { } clusters ? EnvironmentCap.Evaluate(settings, clusters) : null;
        if (cap is { Refused: true })
        {
            failures.Add(new("environment-cap", EnvironmentCap.RefusalMessage(settings, cap, now ?? DateTimeOffset.UtcNow)));
        }

        return new PreflightResult(failures, facts.ClustersInCloneGroup) { Cap = cap };
    }
}
