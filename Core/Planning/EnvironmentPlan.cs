using QaDatabases.Capacity;
using QaDatabases.Configuration;
using QaDatabases.Hooks;
using QaDatabases.Naming;
using QaDatabases.Network;

namespace QaDatabases.Planning;

/// <summary>The restored cluster, as the Pulumi layer declares it.</summary>
public sealed record ClusterPlan(
    string Identifier,
    string Engine,
    string SourceClusterIdentifier,
    string RestoreType,
    bool UseLatestRestorableTime,
    string? RestoreToTime,
    string DbSubnetGroupName,
    ServerlessScaling? Serverless,
    IReadOnlyList<string> IgnoreChanges)
{
    /// <summary>Clones must destroy cleanly and leave nothing behind: no final snapshot.</summary>
    public const bool SkipFinalSnapshot = true;

    /// <summary>Deletion protection would make <c>pulumi destroy</c> fail on a disposable clone.</summary>
    public const bool DeletionProtection = false;

    public const bool CopyTagsToSnapshot = true;

    /// <summary>The clone gets its own master password, kept by RDS in Secrets Manager.</summary>
    public const bool ManageMasterUserPassword = true;

    /// <summary>Changes to a disposable clone (its capacity, say) take effect now, not in a maintenance window.</summary>
    public const bool ApplyImmediately = true;

    /// <summary>
    /// The ARN of the clone's managed master user secret, from the secrets the provider reports (each
    /// ARN optional in its schema). A clone made with <see cref="ManageMasterUserPassword"/> always has
    /// one; its absence means the restore did not do what we asked, and the hooks and SSM could not
    /// work, so it is an error naming the cluster rather than an empty value.
    /// </summary>
    public static string MasterUserSecretArn(string clusterIdentifier, IEnumerable<string?> secretArns) =>
        secretArns.FirstOrDefault(arn => !string.IsNullOrWhiteSpace(arn))
        ?? throw new InvalidOperationException(
            $"Cluster '{clusterIdentifier}' reports no managed master user secret, though it was created with manageMasterUserPassword; "
            + "check it in the RDS console (Configuration → Master credentials ARN) and re-run `pulumi up`.");
}

/// <summary>The clone's one instance.</summary>
public sealed record InstancePlan(string Identifier, string InstanceClass)
{
    /// <summary>A clone of production data is never reachable from the internet.</summary>
    public const bool PubliclyAccessible = false;
}

/// <summary>The clone's security group: ingress on the engine's port from what the config names, no egress.</summary>
public sealed record SecurityGroupPlan(string Name, string Description, string VpcId, int Port, IngressPolicy Ingress);

/// <summary>What an SSM parameter publishes.</summary>
public enum PublishedValue
{
    WriterEndpoint,
    ReaderEndpoint,
    Port,
    ClusterIdentifier,
    MasterUserSecretArn,
    Ready,

    /// <summary>A clone of a golden: the golden generation it was cloned from (<see cref="EnvironmentPlan.ClonedFrom"/>).</summary>
    GoldenSource,

    /// <summary>The stable writer name (<see cref="Dns.HostRecordsPlan.WriterName"/>), or the writer endpoint without one.</summary>
    Host,

    /// <summary>The stable reader name, or the reader endpoint without one.</summary>
    ReaderHost,
}

/// <summary>An SSM parameter under the stack's prefix.</summary>
public sealed record ParameterPlan(string Name, PublishedValue Value, string Description);

/// <summary>One post-clone hook: a bash script with the connection in its environment.</summary>
/// <param name="Name">The hook's resource name.</param>
/// <param name="Script">The bash script.</param>
/// <param name="Triggers">What re-runs it when changed (the Pulumi layer adds the cluster's resource id).</param>
/// <param name="NeedsMaskingSalt">
/// The masking pass's policy uses <c>hash</c>: the hook gets the <c>maskingSalt</c> secret in
/// <see cref="Hooks.HookScripts.MaskingSaltVariable"/>. Other hooks, a golden clone's gate included
/// (it checks digests, never recomputes them), never see it.
/// </param>
public sealed record HookPlan(string Name, string Script, IReadOnlyList<string> Triggers, bool NeedsMaskingSalt = false);

/// <summary>Everything a stack declares, decided before the first resource is.</summary>
public sealed record EnvironmentPlan(
    StackSettings Settings,
    SourceCluster Source,
    ResourceNames Names,
    EngineFamily Engine,
    ClusterPlan Cluster,
    InstancePlan Instance,
    SecurityGroupPlan SecurityGroup,
    IReadOnlyList<ParameterPlan> Parameters,
    HookPlan? Masking,
    HookPlan? SmokeCheck,
    string DatabaseName,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Warnings)
{
    /// <summary>A golden stack: what it records once its masking and gate passed. Null for every other stack.</summary>
    public Golden.GoldenRecordPlan? GoldenRecord { get; init; }

    /// <summary>A clone of a golden: the golden generation it is cloned from, which it publishes and keeps. Null otherwise.</summary>
    public Golden.GoldenSource? ClonedFrom { get; init; }

    /// <summary>
    /// The stable host names, written once masking has passed; null without <c>dnsZoneId</c>, offline
    /// (the zone's name is looked up at <c>pulumi up</c>) and for pool members.
    /// </summary>
    public Dns.HostRecordsPlan? HostRecords { get; init; }
}
