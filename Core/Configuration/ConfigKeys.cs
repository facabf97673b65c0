namespace QaDatabases.Configuration;

/// <summary>The type a config key is declared with in <c>Pulumi.yaml</c>.</summary>
#pragma warning disable CA1720 // The members are named after Pulumi.yaml's config types on purpose.
public enum ConfigType
{
    String,
    Integer,
    Boolean,
    Array,
}
#pragma warning restore CA1720

/// <summary>
/// One key of the stack configuration. <see cref="Default"/> is the value written in
/// <c>Pulumi.yaml</c> (null: the key has no static default there, see <see cref="DefaultNote"/>).
/// A <see cref="Secret"/> key is declared <c>secret: true</c>, so Pulumi accepts only an encrypted
/// value for it (<c>pulumi config set --secret</c>) and the offline <c>qa-db plan</c> refuses a plain one.
/// </summary>
public sealed record ConfigKey(string Name, ConfigType Type, string? Default, string Description, string? DefaultNote = null, bool Secret = false);

/// <summary>
/// The one list of config keys the program understands. <c>Pulumi.yaml</c> declares exactly these
/// (a test keeps the two in step) and the README documents them.
/// </summary>
public static class ConfigKeys
{
    /// <summary>The Pulumi project name, and so the namespace of every key below.</summary>
    public const string Project = "qa-db";

    public static readonly ConfigKey SourceCluster = new(
        "sourceCluster", ConfigType.String, null,
        "Identifier of the Aurora cluster to clone. Only read, never managed.", "required");

    public static readonly ConfigKey VpcId = new(
        "vpcId", ConfigType.String, null,
        "VPC of the clone's security group; must be the VPC of the clone's subnet group.", "required");

    public static readonly ConfigKey RestoreTime = new(
        "restoreTime", ConfigType.String, "",
        "Point in time to clone, RFC 3339 UTC (2026-11-20T08:00:00Z). Empty: the latest restorable time.");

    public static readonly ConfigKey DbSubnetGroupName = new(
        "dbSubnetGroupName", ConfigType.String, "",
        "DB subnet group of the clone. Empty: the source cluster's.");

    public static readonly ConfigKey InstanceClass = new(
        "instanceClass", ConfigType.String, "db.serverless",
        "db.serverless (Aurora Serverless v2) or a provisioned class such as db.t4g.medium.");

    public static readonly ConfigKey ServerlessMinCapacity = new(
        "serverlessMinCapacity", ConfigType.String, "0",
        "Serverless v2 minimum ACUs, 0 to 256 in steps of 0.5. 0 pauses an idle clone (needs a recent engine version).");

    public static readonly ConfigKey ServerlessMaxCapacity = new(
        "serverlessMaxCapacity", ConfigType.String, "4",
        "Serverless v2 maximum ACUs, 1 to 256 in steps of 0.5, at least the minimum.");

    public static readonly ConfigKey SecondsUntilAutoPause = new(
        "secondsUntilAutoPause", ConfigType.Integer, "600",
        "Idle seconds before a clone with minimum capacity 0 pauses, 300 to 86400.");

    public static readonly ConfigKey AllowedCidrs = new(
        "allowedCidrs", ConfigType.Array, "[]",
        "IPv4/IPv6 CIDR blocks admitted on the database port.");

    public static readonly ConfigKey AllowedSecurityGroupIds = new(
        "allowedSecurityGroupIds", ConfigType.Array, "[]",
        "Security groups (sg-...) admitted on the database port.");

    public static readonly ConfigKey AllowPublicIngress = new(
        "allowPublicIngress", ConfigType.Boolean, "false",
        "Opt-in that permits 0.0.0.0/0 or ::/0 in allowedCidrs. Leave false.");

    public static readonly ConfigKey SsmPrefix = new(
        "ssmPrefix", ConfigType.String, "",
        "SSM parameter path the endpoint is published under. Empty: /qa/<stack>/db/.", "/qa/<stack>/db/");

    public static readonly ConfigKey Owner = new(
        "owner", ConfigType.String, "",
        "Who the environment belongs to (tag).");

    public static readonly ConfigKey PullRequest = new(
        "pullRequest", ConfigType.String, "",
        "Pull request number the environment serves (tag). Empty: taken from a stack named pr-...-<number>.");

    public static readonly ConfigKey Branch = new(
        "branch", ConfigType.String, "",
        "Git branch the environment serves (tag).");

    public static readonly ConfigKey Ttl = new(
        "ttl", ConfigType.String, "72h",
        "How long the environment lives after its first `pulumi up`: a number and m, h or d (30m to 90d).");

    public static readonly ConfigKey ExpiresAt = new(
        "expiresAt", ConfigType.String, "",
        "Absolute expiry, RFC 3339 UTC; overrides ttl when set.");

    public static readonly ConfigKey CloneGeneration = new(
        "cloneGeneration", ConfigType.Integer, "1",
        "Raise by one to re-clone the data at the latest restorable time (or restoreTime); nothing else is replaced.");

    public static readonly ConfigKey ConnectionRoute = new(
        "connectionRoute", ConfigType.String, "none",
        "How `pulumi up` reaches the clone for hooks: none, direct, or ssm-port-forward (through bastionInstanceId).");

    public static readonly ConfigKey BastionInstanceId = new(
        "bastionInstanceId", ConfigType.String, "",
        "EC2 instance (i-...) with the SSM agent that forwards to the clone when connectionRoute is ssm-port-forward.");

    public static readonly ConfigKey MaskingScripts = new(
        "maskingScripts", ConfigType.Array, "[]",
        "SQL files, relative to the project, run in order against the clone before it is published.");

    public static readonly ConfigKey MaskingPolicy = new(
        "maskingPolicy", ConfigType.String, "",
        "Masking policy file, relative to the project (e.g. masking/policy.yaml): every column of the clone is kept or masked, checked by a gate before the clone is published.");

    public static readonly ConfigKey MaskingSalt = new(
        "maskingSalt", ConfigType.String, null,
        "Secret salt of the policy's hash strategy, at least 16 characters; required when the policy uses hash. Set it with `pulumi config set --secret`.",
        "(not set)", Secret: true);

    public static readonly ConfigKey AllowUnmaskedData = new(
        "allowUnmaskedData", ConfigType.Boolean, "false",
        "Opt-in that lets a clone (or a claimed pool member) be published with neither maskingPolicy nor maskingScripts, i.e. with the source's personal data. Leave false.");

    public static readonly ConfigKey SmokeCheckQuery = new(
        "smokeCheckQuery", ConfigType.String, "SELECT 1",
        "Query run against the clone after masking; its output is the smokeCheckResult output.");

    public static readonly ConfigKey DatabaseName = new(
        "databaseName", ConfigType.String, "",
        "Database hooks connect to. Empty: the source's, else postgres (PostgreSQL) or mysql (MySQL).");

    public static readonly ConfigKey Preflight = new(
        "preflight", ConfigType.Boolean, "true",
        "Check the source cluster with the AWS SDK before declaring the clone.");

    public static readonly ConfigKey ClonePrefix = new(
        "clonePrefix", ConfigType.String, Naming.ResourceNames.DefaultPrefix,
        "Start of every clone's identifiers and security group name; the deployer role may change only resources named with it. 2-16 characters: a lower-case letter, then letters, digits or hyphens, ending with '-'.");

    public static readonly ConfigKey PoolSize = new(
        "poolSize", ConfigType.Integer, "0",
        "Makes this stack a pool of this many pre-cloned, masked, paused members (1 to 20) that other stacks claim. 0: not a pool.");

    public static readonly ConfigKey PoolMaxAge = new(
        "poolMaxAge", ConfigType.String, "24h",
        "Pool stacks: a member older than this is re-cloned by the next `pulumi up` on the pool (1h to 30d).");

    public static readonly ConfigKey Pool = new(
        "pool", ConfigType.String, "",
        "Claim a ready member of this pool stack instead of cloning. Empty: clone.");

    public static readonly ConfigKey PoolFallback = new(
        "poolFallback", ConfigType.String, "fail",
        "When the pool has no free member: fail (with how to grow it) or clone (make a fresh clone instead).");

    // ---- stable host names and the cap on environments (issue 14) ----

    public static readonly ConfigKey DnsZoneId = new(
        "dnsZoneId", ConfigType.String, "",
        "Route 53 private hosted zone (Z...) for stable host names: <name>.<zone> follows the writer, <name>-ro.<zone> the reader, across refreshes and claims. Empty: no records.");

    public static readonly ConfigKey MaxEnvironments = new(
        "maxEnvironments", ConfigType.Integer, QaDatabases.Preflight.EnvironmentCap.DefaultMax.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "At most this many clusters cloned from the same source (pool members included); a new environment beyond it fails before anything is declared, 1 to 1000.");

    public static IReadOnlyList<ConfigKey> All { get; } =
    [
        SourceCluster, VpcId, RestoreTime, DbSubnetGroupName, InstanceClass, ServerlessMinCapacity,
        ServerlessMaxCapacity, SecondsUntilAutoPause, AllowedCidrs, AllowedSecurityGroupIds, AllowPublicIngress,
        SsmPrefix, Owner, PullRequest, Branch, Ttl, ExpiresAt, CloneGeneration, ConnectionRoute, BastionInstanceId,
        MaskingScripts,
        MaskingPolicy, MaskingSalt, AllowUnmaskedData,
        SmokeCheckQuery, DatabaseName, Preflight,
        ClonePrefix, PoolSize, PoolMaxAge, Pool, PoolFallback,
        DnsZoneId, MaxEnvironments,
    ];
}
