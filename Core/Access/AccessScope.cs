using System.Text.RegularExpressions;
using QaDatabases.Configuration;
using QaDatabases.Naming;

namespace QaDatabases.Access;

/// <summary>A QA stack's validated settings and the region it deploys to (its <c>aws:region</c>).</summary>
public sealed record QaStackConfig(StackSettings Settings, string Region);

/// <summary>
/// Everything one role's permissions are scoped to, taken from the QA stacks' config: which role
/// (<see cref="Role"/>), where (partition, region, account), what it may create and change (its stacks'
/// clone prefixes, the VPCs their security groups go in, the SSM paths they publish under, the pools
/// and goldens they make or use, the bastions hooks forward through), what it may clone from, and what
/// it must never change (the source clusters of every QA stack, whichever role deploys it).
/// </summary>
public sealed partial record AccessScope
{
    /// <summary>Used in ARNs when the account is not known: the policy then matches any account.</summary>
    public const string AnyAccount = "*";

    /// <summary>The role these permissions are for.</summary>
    public AccessRole Role { get; init; } = AccessRole.Deployer;

    public required string Partition { get; init; }

    public required string Region { get; init; }

    /// <summary>12 digits, or <see cref="AnyAccount"/>.</summary>
    public required string Account { get; init; }

    public required IReadOnlyList<string> ClonePrefixes { get; init; }

    /// <summary>
    /// Every QA stack's source cluster, lower-case, as RDS stores identifiers and writes them in ARNs:
    /// denied all but describing and restoring, whichever role's stacks clone it.
    /// </summary>
    public required IReadOnlyList<string> SourceClusters { get; init; }

    /// <summary>
    /// What this role's stacks clone from, as cluster-name patterns: the sources they name, and the
    /// clusters of the goldens they clone (<c>&lt;prefix&gt;&lt;golden&gt;*</c>). A review stack that
    /// clones only goldens or claims only pool members may then never restore from production itself.
    /// </summary>
    public IReadOnlyList<string> RestoreSources { get; init; } = [];

    public required IReadOnlyList<string> VpcIds { get; init; }

    /// <summary>Parameter-name patterns without the leading '/', as SSM writes them in ARNs: <c>qa/*/db/*</c>.</summary>
    public required IReadOnlyList<string> SsmParameterPatterns { get; init; }

    /// <summary>
    /// The pools the stacks make or claim from (<see cref="PoolsMade"/> and <see cref="PoolsClaimed"/>):
    /// their state lives under <c>/qa-db/pools/&lt;pool&gt;/</c>.
    /// </summary>
    public IReadOnlyList<string> Pools => PoolsMade.Union(PoolsClaimed, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Pools this role's stacks are: they write every record of their members.</summary>
    public IReadOnlyList<string> PoolsMade { get; init; } = [];

    /// <summary>Pools this role's stacks claim from: they read the pool and write only leases and used marks.</summary>
    public IReadOnlyList<string> PoolsClaimed { get; init; } = [];

    /// <summary>Golden stacks among this role's stacks: they write their own record under <c>/qa-db/goldens/&lt;stack&gt;/</c>.</summary>
    public IReadOnlyList<string> GoldensMade { get; init; } = [];

    /// <summary>Golden stacks this role's stacks clone (<c>sourceStack</c>) and do not make: they only read the record.</summary>
    public IReadOnlyList<string> GoldensRead { get; init; } = [];

    public required IReadOnlyList<string> BastionInstanceIds { get; init; }

    /// <summary>
    /// The Route 53 hosted zones the stacks write their stable host names in (<c>dnsZoneId</c>); pool
    /// stacks write none. Empty when no stack has one.
    /// </summary>
    public IReadOnlyList<string> DnsZoneIds { get; init; } = [];

    public static bool IsAccountId(string text) => AccountId().IsMatch(text);

    /// <summary>
    /// The scope of <paramref name="role"/> over the given QA stacks: its permissions cover the stacks
    /// that deploy with it (<see cref="AccessRoles.Of"/>), and every stack's source is protected. The
    /// stacks must deploy to one region (the roles are per account and region), no stack's source may
    /// fall under any stack's clone prefix, and at least one stack must deploy with the role.
    /// </summary>
    public static AccessScope For(IReadOnlyList<QaStackConfig> stacks, string? account, AccessRole role = AccessRole.Deployer)
    {
        if (stacks.Count == 0)
        {
            throw new ArgumentException("at least one QA stack is needed", nameof(stacks));
        }

        if (account is not null && !IsAccountId(account))
        {
            throw new ArgumentException($"'{account}' is not a 12-digit AWS account id", nameof(account));
        }

        var problems = new List<ConfigProblem>();
        var regions = stacks.Select(s => s.Region).Distinct(StringComparer.Ordinal).ToList();
        if (regions.Count > 1)
        {
            problems.Add(new("region", string.Join(", ", regions),
                "the QA stacks deploy to different regions; one deployer role covers one account and region: run the access program once per region", "aws"));
        }

        var allPrefixes = stacks.Select(s => s.Settings.ClonePrefix).Distinct(StringComparer.Ordinal).ToList();
        var sources = Sorted(stacks.Select(s => s.Settings.SourceClusterIdentifier.ToLowerInvariant()).Where(s => s.Length > 0));
        foreach (var (source, prefix) in sources.SelectMany(s => allPrefixes.Where(p => ClonePrefix.Covers(p, s)).Select(p => (s, p))))
        {
            // Each stack checks its own pair; across stacks one's prefix could still cover another's source.
            problems.Add(new(ConfigKeys.SourceCluster.Name, source,
                $"starts with clone prefix '{prefix}' of another QA stack, so the deployer role could modify and delete it; give that stack another {ConfigKeys.ClonePrefix.Name}"));
        }

        var own = stacks.Where(s => AccessRoles.Of(s.Settings) == role).Select(s => s.Settings).ToList();
        if (own.Count == 0)
        {
            throw new ArgumentException(
                $"none of the stacks {string.Join(", ", stacks.Select(s => s.Settings.Context.Stack))} deploys with the {AccessRoles.Name(role)} role, which is for {AccessRoles.Describe(role)}",
                nameof(stacks));
        }

        if (problems.Count > 0)
        {
            throw new ConfigValidationException(problems);
        }

        var goldensMade = Sorted(own.Select(s => s.Golden is Golden.GoldenRole.Golden ? s.Context.Stack : null));
        var goldensRead = Sorted(own.Select(s => (s.Golden as Golden.GoldenRole.Consumer)?.GoldenStack)).Except(goldensMade, StringComparer.Ordinal).ToList();
        string GoldenClusters(string golden, string consumerPrefix)
        {
            // A golden's clusters are <prefix><golden>, then -g2, -g3...: its own prefix when the golden is
            // one of the QA stacks, else (the usual case of one prefix for all) the consumer's.
            var prefix = stacks.FirstOrDefault(s => s.Settings.Context.Stack == golden)?.Settings.ClonePrefix ?? consumerPrefix;
            return ResourceNames.ForStack(golden, 1, prefix).ClusterIdentifier + "*";
        }

        var region = regions[0];
        return new AccessScope
        {
            Role = role,
            Partition = PartitionOf(region),
            Region = region,
            Account = account ?? AnyAccount,
            ClonePrefixes = Sorted(own.Select(s => s.ClonePrefix)),
            SourceClusters = sources,
            RestoreSources = Sorted(own.Select(s => s.Golden is Golden.GoldenRole.Consumer c
                ? GoldenClusters(c.GoldenStack, s.ClonePrefix)
                : s.SourceClusterIdentifier.ToLowerInvariant())),
            VpcIds = Sorted(own.Select(s => s.VpcId)),
            SsmParameterPatterns = Sorted(own.Select(SsmPattern)),
            PoolsMade = Sorted(own.Select(s => s.Pool is Pool.PoolRole.PoolOf ? s.Context.Stack : null)),
            PoolsClaimed = Sorted(own.Select(s => (s.Pool as Pool.PoolRole.ClaimFrom)?.PoolStack)),
            GoldensMade = goldensMade,
            GoldensRead = goldensRead,
            BastionInstanceIds = Sorted(own.Select(s => s.Hooks.BastionInstanceId)),
            DnsZoneIds = Sorted(own.Where(s => s.Pool is not Pool.PoolRole.PoolOf && s.Golden is not Golden.GoldenRole.Golden).Select(s => s.DnsZoneId)),
        };
    }

    private static List<string> Sorted(IEnumerable<string?> values) =>
        values.OfType<string>().Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Reads and validates each named QA stack from <c>Pulumi.yaml</c> and <c>Pulumi.&lt;stack&gt;.yaml</c>
    /// in <paramref name="directory"/>, with the same rules as <c>pulumi up</c>. Every problem of
    /// every stack is reported at once.
    /// </summary>
    public static IReadOnlyList<QaStackConfig> ReadStacks(string directory, IReadOnlyList<string> stackNames, string organization, DateTimeOffset now)
    {
        var stacks = new List<QaStackConfig>();
        var problems = new List<ConfigProblem>();
        foreach (var name in stackNames)
        {
            var files = StackFiles.Read(directory, name);
            try
            {
                var settings = StackSettingsReader.Read(new StackContext(organization, files.ProjectName, name), files.Config, now, directory, files.Encrypted);
                if (string.IsNullOrEmpty(files.AwsRegion) || !RegionName().IsMatch(files.AwsRegion))
                {
                    problems.Add(new("region", files.AwsRegion, $"stack {name}: expected the AWS region the stack deploys to, such as eu-west-1 (set it with `pulumi config set aws:region ...`)", "aws"));
                    continue;
                }

                stacks.Add(new QaStackConfig(settings, files.AwsRegion));
            }
            catch (ConfigValidationException e)
            {
                problems.AddRange(e.Problems.Select(p => p with { Allowed = $"stack {name}: {p.Allowed}" }));
            }
        }

        return problems.Count > 0 ? throw new ConfigValidationException(problems) : stacks;
    }

    public string Arn(string service, string resource) => $"arn:{Partition}:{service}:{Region}:{Account}:{resource}";

    /// <summary>The ARN of a global resource, such as a Route 53 hosted zone: no region, no account.</summary>
    public string GlobalArn(string service, string resource) => $"arn:{Partition}:{service}:::{resource}";

    /// <summary>
    /// The stack's default prefix <c>/qa/&lt;stack&gt;/db/</c> differs per stack, and review stacks get
    /// names nobody knows in advance: it becomes <c>qa/*/db/*</c>. A configured prefix is copied to
    /// review stacks as it is and stays one path.
    /// </summary>
    private static string SsmPattern(StackSettings settings)
    {
        var prefix = settings.SsmPrefix == $"/qa/{settings.Context.Stack}/db/" ? "/qa/*/db/" : settings.SsmPrefix;
        return prefix.TrimStart('/') + "*";
    }

    /// <summary>
    /// Only the SSM state a <c>qa-db pool</c> or <c>qa-db golden</c> command touches, for that command,
    /// which knows no stack's config: enough to say which statement of <paramref name="role"/>'s policy
    /// allows the command's call. The stewards' role makes the pools and goldens (their stacks run
    /// refill-lease, refill-done, golden publish and withdraw); the deployer role claims from pools and
    /// reads goldens (claim, release, and a clone of a golden reading its record). Not a policy to deploy.
    /// </summary>
    public static AccessScope ForState(AccessRole role, string region, IReadOnlyList<string>? pools = null, IReadOnlyList<string>? goldens = null)
    {
        var stewards = role == AccessRole.Stewards;
        return new()
        {
            Role = role,
            Partition = PartitionOf(region),
            Region = region,
            Account = AnyAccount,
            ClonePrefixes = [],
            SourceClusters = [],
            VpcIds = [],
            SsmParameterPatterns = [],
            PoolsMade = stewards ? pools ?? [] : [],
            PoolsClaimed = stewards ? [] : pools ?? [],
            GoldensMade = stewards ? goldens ?? [] : [],
            GoldensRead = stewards ? [] : goldens ?? [],
            BastionInstanceIds = [],
        };
    }

    /// <summary>The ARN partition of a region: <c>aws-cn</c>, <c>aws-us-gov</c>, else <c>aws</c>.</summary>
    public static string PartitionOf(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : "aws";

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountId();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$")]
    private static partial Regex RegionName();
}
