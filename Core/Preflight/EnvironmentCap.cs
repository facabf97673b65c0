using System.Globalization;
using System.Text;
using QaDatabases.Configuration;
using QaDatabases.Expiry;
using QaDatabases.Pool;
using QaDatabases.Tagging;

namespace QaDatabases.Preflight;

/// <summary>How the stack stands against <c>maxEnvironments</c>.</summary>
/// <param name="Existing">Clusters the tool made from the source that exist now (pool members included).</param>
/// <param name="Adding">Clusters this <c>pulumi up</c> would add: 0 for an environment that already has its clusters.</param>
/// <param name="Max">The cap.</param>
/// <param name="Environments">Those clusters, oldest first.</param>
public sealed record CapVerdict(int Existing, int Adding, int Max, IReadOnlyList<TaggedCluster> Environments)
{
    /// <summary>Only a new cluster is ever refused: an existing environment's <c>up</c> (a refresh, a refill) always goes ahead.</summary>
    public bool Refused => Adding > 0 && Existing + Adding > Max;
}

/// <summary>
/// A cap on how many clusters hang off one source, counted from the tags the tool puts on every
/// cluster (so one DescribeDBClusters call sees them all, whichever backend holds their stacks):
/// forgotten review stacks are billed clusters until their expiry, and the cap stops the next one
/// instead. A stack recognises its own environment by its <c>qa-db:stack</c> tag, so a refresh, a
/// pool's refill or any later <c>up</c> is never refused; growing a pool adds members and counts them.
/// </summary>
public static class EnvironmentCap
{
    public const int DefaultMax = 10;

    public const int HighestMax = 1000;

    /// <summary>How many of the oldest environments the refusal lists.</summary>
    public const int Listed = 5;

    internal static int ParseMax(string raw, PoolRole? role, ICollection<ConfigProblem> problems)
    {
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var max) || max < 1 || max > HighestMax)
        {
            problems.Add(new(ConfigKeys.MaxEnvironments.Name, raw, $"expected a whole number from 1 to {HighestMax}: how many clusters cloned from the source may exist"));
            return DefaultMax;
        }

        if (role is PoolRole.PoolOf pool && pool.Size > max)
        {
            problems.Add(new(ConfigKeys.MaxEnvironments.Name, raw,
                $"is less than poolSize {pool.Size}: the pool alone would exceed the cap; set maxEnvironments to at least {pool.Size} plus the stacks that clone on their own"));
        }

        return max;
    }

    /// <summary>Counts the clusters cloned from the stack's source and how many this <c>up</c> would add.</summary>
    /// <param name="settings">The stack's settings.</param>
    /// <param name="clusters">Clusters as DescribeDBClusters reports them; any not made by the tool, from another source or being deleted are ignored.</param>
    public static CapVerdict Evaluate(StackSettings settings, IEnumerable<TaggedCluster> clusters)
    {
        var fromSource = clusters
            .Where(c => ResourceTags.IsMadeByTheTool(c.Tags)
                && string.Equals(c.Tags.GetValueOrDefault(ResourceTags.SourceCluster), settings.SourceClusterIdentifier, StringComparison.OrdinalIgnoreCase)
                && c.Status != "deleting")
            .OrderBy(c => c.CreatedAt ?? DateTimeOffset.MaxValue)
            .ThenBy(c => c.ClusterIdentifier, StringComparer.Ordinal)
            .ToList();
        var own = fromSource.Where(c => c.Tags.GetValueOrDefault(ResourceTags.Stack) == settings.Context.QualifiedName).ToList();
        var adding = settings.Pool switch
        {
            // A refill re-clones members that exist; only member numbers without a cluster are new.
            PoolRole.PoolOf pool => Enumerable.Range(1, pool.Size).Count(n =>
                !own.Any(c => c.Tags.GetValueOrDefault(ResourceTags.PoolMember) == n.ToString(CultureInfo.InvariantCulture))),
            _ => own.Count == 0 ? 1 : 0,
        };
        return new CapVerdict(fromSource.Count, adding, settings.MaxEnvironments, fromSource);
    }

    /// <summary>Why the stack is refused: the oldest environments, with whom to ask, and the key to raise.</summary>
    public static string RefusalMessage(StackSettings settings, CapVerdict verdict, DateTimeOffset now)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{verdict.Existing} environment(s) cloned from '{settings.SourceClusterIdentifier}' exist (pool members included) and the cap is {verdict.Max} ({ConfigKeys.Project}:{ConfigKeys.MaxEnvironments.Name}); this stack would add {verdict.Adding}. The oldest:");
        foreach (var cluster in verdict.Environments.Take(Listed))
        {
            text.Append(Environment.NewLine).Append("      ").Append(Describe(cluster, now));
        }

        if (verdict.Existing > Listed)
        {
            text.Append(Environment.NewLine).Append(CultureInfo.InvariantCulture, $"      ... and {verdict.Existing - Listed} more (qa-db expired --clusters lists them all)");
        }

        text.Append(Environment.NewLine).Append(CultureInfo.InvariantCulture,
            $"    Destroy one that is no longer needed (pulumi destroy --stack <its stack>), or raise the cap: pulumi config set {ConfigKeys.MaxEnvironments.Name} {verdict.Existing + verdict.Adding}");
        return text.ToString();
    }

    /// <summary>One environment as the refusal lists it: cluster, stack, owner, pull request, age, expiry.</summary>
    public static string Describe(TaggedCluster cluster, DateTimeOffset now)
    {
        var tags = cluster.Tags;
        var owner = tags.GetValueOrDefault(ResourceTags.Owner) is { Length: > 0 } o ? $"owner {o}" : "no owner tag";
        var pullRequest = tags.GetValueOrDefault(ResourceTags.PullRequest) is { Length: > 0 } pr ? $"pull request {pr}" : "no pull request";
        var age = cluster.CreatedAt is { } created ? $"{FormatAge(now - created)} old" : "age unknown";
        var expiry = tags.GetValueOrDefault(ResourceTags.Pool) is { } pool
            ? $"member {tags.GetValueOrDefault(ResourceTags.PoolMember) ?? "?"} of pool {pool}, re-cloned by its refill, never expires"
            : tags.GetValueOrDefault(ResourceTags.ExpiresAt) is { } expires ? $"expires {expires}" : "no expiry tag";
        return $"{cluster.ClusterIdentifier} ({tags.GetValueOrDefault(ResourceTags.Stack) ?? "no stack tag"}): {owner}, {pullRequest}, {age}, {expiry}";
    }

    /// <summary>An age as people say it: <c>3d 4h</c>, <c>5h 20m</c>, <c>12m</c>.</summary>
    public static string FormatAge(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return age.TotalDays >= 1 ? $"{(int)age.TotalDays}d {age.Hours}h"
            : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h {age.Minutes}m"
            : $"{(int)age.TotalMinutes}m";
    }
}
