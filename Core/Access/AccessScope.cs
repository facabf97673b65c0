using System.Text.RegularExpressions;
using QaDatabases.Configuration;
using QaDatabases.Naming;

namespace QaDatabases.Access;

/// <summary>A QA stack's validated settings and the region it deploys to (its <c>aws:region</c>).</summary>
public sealed record QaStackConfig(StackSettings Settings, string Region);

/// <summary>
/// Everything the deployer role's permissions are scoped to, taken from the QA stacks' config:
/// where (partition, region, account), what it may create and change (the clones' name prefixes,
/// the VPCs their security groups go in, the SSM paths they publish under, the bastions hooks
/// forward through) and what it must never change (the source clusters).
/// </summary>
public sealed partial record AccessScope
{
    /// <summary>Used in ARNs when the account is not known: the policy then matches any account.</summary>
    public const string AnyAccount = "*";

    public required string Partition { get; init; }

    public required string Region { get; init; }

    /// <summary>12 digits, or <see cref="AnyAccount"/>.</summary>
    public required string Account { get; init; }

    public required IReadOnlyList<string> ClonePrefixes { get; init; }

    /// <summary>Lower-case, as RDS stores identifiers and writes them in ARNs.</summary>
    public required IReadOnlyList<string> SourceClusters { get; init; }

    public required IReadOnlyList<string> VpcIds { get; init; }

    /// <summary>Parameter-name patterns without the leading '/', as SSM writes them in ARNs: <c>qa/*/db/*</c>.</summary>
    public required IReadOnlyList<string> SsmParameterPatterns { get; init; }

    /// <summary>
    /// The pools the stacks make or claim from: their state (ready records, leases, used marks) lives
    /// under <c>/qa-db/pools/&lt;pool&gt;/</c>. Empty when no stack uses a pool.
    /// </summary>
    public IReadOnlyList<string> Pools { get; init; } = [];

    public required IReadOnlyList<string> BastionInstanceIds { get; init; }

    /// <summary>
    /// The Route 53 hosted zones the stacks write their stable host names in (<c>dnsZoneId</c>); pool
    /// stacks write none. Empty when no stack has one.
    /// </summary>
    public IReadOnlyList<string> DnsZoneIds { get; init; } = [];

    public static bool IsAccountId(string text) => AccountId().IsMatch(text);

    /// <summary>
    /// The scope covering every given QA stack. They must deploy to one region (the role is per
    /// account and region) and no stack's source may fall under any stack's clone prefix.
    /// </summary>
    public static AccessScope For(IReadOnlyList<QaStackConfig> stacks, string? account)
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

        var prefixes = stacks.Select(s => s.Settings.ClonePrefix).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var sources = stacks.Select(s => s.Settings.SourceClusterIdentifier.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var (source, prefix) in sources.SelectMany(s => prefixes.Where(p => ClonePrefix.Covers(p, s)).Select(p => (s, p))))
        {
            // Each stack checks its own pair; across stacks one's prefix could still cover another's source.
            problems.Add(new(ConfigKeys.SourceCluster.Name, source,
                $"starts with clone prefix '{prefix}' of another QA stack, so the deployer role could modify and delete it; give that stack another {ConfigKeys.ClonePrefix.Name}"));
        }

        if (problems.Count > 0)
        {
            throw new ConfigValidationException(problems);
        }

        var region = regions[0];
        return new AccessScope
        {
            Partition = PartitionOf(region),
            Region = region,
            Account = account ?? AnyAccount,
            ClonePrefixes = prefixes,
            SourceClusters = sources,
            VpcIds = stacks.Select(s => s.Settings.VpcId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            SsmParameterPatterns = stacks.Select(s => SsmPattern(s.Settings)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            Pools = stacks.Select(s => s.Settings.Pool switch
                {
                    Pool.PoolRole.PoolOf => s.Settings.Context.Stack,
                    Pool.PoolRole.ClaimFrom claim => claim.PoolStack,
                    _ => null,
                })
                .OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            BastionInstanceIds = stacks.Select(s => s.Settings.Hooks.BastionInstanceId).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            DnsZoneIds = stacks.Where(s => s.Settings.Pool is not Pool.PoolRole.PoolOf).Select(s => s.Settings.DnsZoneId).OfType<string>()
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
        };
    }

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
    /// Only the pools' state, for the pool commands, which know no stack's config: enough to say which
    /// statement of the deployer policy allows a pool command's SSM call. Not a policy to deploy.
    /// </summary>
    public static AccessScope ForPools(string region, IReadOnlyList<string> pools) => new()
    {
        Partition = PartitionOf(region),
        Region = region,
        Account = AnyAccount,
        ClonePrefixes = [],
        SourceClusters = [],
        VpcIds = [],
        SsmParameterPatterns = [],
        Pools = pools,
        BastionInstanceIds = [],
    };

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
