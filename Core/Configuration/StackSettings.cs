using QaDatabases.Capacity;
using QaDatabases.Expiry;
using QaDatabases.Hooks;
using QaDatabases.Network;
using QaDatabases.Restore;

namespace QaDatabases.Configuration;

/// <summary>Who runs the program: the Pulumi stack, project and organization.</summary>
public sealed record StackContext(string Organization, string Project, string Stack)
{
    /// <summary>The fully qualified name that <c>pulumi --stack</c> accepts on every backend.</summary>
    public string QualifiedName => $"{Organization}/{Project}/{Stack}";
}

/// <summary>Where the instance's compute comes from.</summary>
public abstract record InstanceSizing
{
    private InstanceSizing()
    {
    }

    /// <summary>The RDS instance class string.</summary>
    public abstract string InstanceClass { get; }

    /// <summary>Aurora Serverless v2: one <c>db.serverless</c> instance scaling between two capacities.</summary>
    public sealed record Serverless(ServerlessScaling Scaling) : InstanceSizing
    {
        public override string InstanceClass => ServerlessScaling.InstanceClass;
    }

    /// <summary>A fixed provisioned class such as <c>db.t4g.medium</c>.</summary>
    public sealed record Provisioned(string Class) : InstanceSizing
    {
        public override string InstanceClass => Class;
    }
}

/// <summary>The validated stack configuration: everything below has passed every rule.</summary>
public sealed record StackSettings
{
    public required StackContext Context { get; init; }

    public required string SourceClusterIdentifier { get; init; }

    public required string VpcId { get; init; }

    /// <summary>Null: inherit the source cluster's subnet group.</summary>
    public required string? DbSubnetGroupName { get; init; }

    public required RestoreChoice Restore { get; init; }

    public required InstanceSizing Sizing { get; init; }

    public required IngressPolicy Ingress { get; init; }

    /// <summary>Always starts and ends with '/'.</summary>
    public required string SsmPrefix { get; init; }

    public required string? Owner { get; init; }

    public required string? PullRequest { get; init; }

    public required string? Branch { get; init; }

    public required ExpiryPolicy Expiry { get; init; }

    public required int CloneGeneration { get; init; }

    public required HookSettings Hooks { get; init; }

    /// <summary>The masking policy, or the explicit opt-out of masking; the scripts are in <see cref="Hooks"/>.</summary>
    public required MaskingSettings Masking { get; init; }

    /// <summary>Null: the source's database name, else the engine's default database.</summary>
    public required string? DatabaseName { get; init; }

    public required bool RunPreflight { get; init; }

    /// <summary>Start of every clone identifier; never a prefix of <see cref="SourceClusterIdentifier"/>.</summary>
    public required string ClonePrefix { get; init; }

    /// <summary>Whether this stack is a pool, claims from one, or neither.</summary>
    public Pool.PoolRole Pool { get; init; } = QaDatabases.Pool.PoolRole.None;

    /// <summary>
    /// The Route 53 private hosted zone that holds the environment's stable host names, or null for none.
    /// Its name is looked up at <c>pulumi up</c> (<see cref="Dns.HostNames"/>).
    /// </summary>
    public string? DnsZoneId { get; init; }

    /// <summary>How many clusters cloned from the source may exist before a new environment is refused (<see cref="Preflight.EnvironmentCap"/>).</summary>
    public int MaxEnvironments { get; init; } = Preflight.EnvironmentCap.DefaultMax;
}
