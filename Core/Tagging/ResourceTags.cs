using System.Text;
using QaDatabases.Configuration;

namespace QaDatabases.Tagging;

/// <summary>
/// Tags on every resource of an environment. They are what the expiry command reads, so a forgotten
/// environment is found from AWS alone, even when its stack is gone.
/// </summary>
public static class ResourceTags
{
    public const string Prefix = "qa-db:";
    public const string Stack = Prefix + "stack";
    public const string SourceCluster = Prefix + "source-cluster";
    public const string CreatedBy = Prefix + "created-by";
    public const string Owner = Prefix + "owner";
    public const string PullRequest = Prefix + "pull-request";
    public const string Branch = Prefix + "branch";
    public const string ExpiresAt = Prefix + "expires-at";

    /// <summary>On a pool member: the pool stack it belongs to.</summary>
    public const string Pool = Prefix + "pool";

    /// <summary>On a pool member: its number in the pool, 1 to poolSize.</summary>
    public const string PoolMember = Prefix + "pool-member";

    /// <summary>The value of <see cref="CreatedBy"/>: the tool's name, so the expiry command lists only our clusters.</summary>
    public const string ToolName = "qa-databases";

    private const int MaxValueLength = 256;

    /// <summary>Whether a resource's tags say the tool made it: what the expiry sweep and the environment cap count.</summary>
    public static bool IsMadeByTheTool(IReadOnlyDictionary<string, string> tags) => tags.GetValueOrDefault(CreatedBy) == ToolName;

    /// <summary>The tags known before any resource exists; <see cref="ExpiresAt"/> is added by the caller.</summary>
    public static IReadOnlyDictionary<string, string> For(StackSettings settings)
    {
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [Stack] = settings.Context.QualifiedName,
            [SourceCluster] = settings.SourceClusterIdentifier,
            [CreatedBy] = ToolName,
        };
        AddIfPresent(tags, Owner, settings.Owner);
        AddIfPresent(tags, PullRequest, settings.PullRequest);
        AddIfPresent(tags, Branch, settings.Branch);
        return tags;
    }

    /// <summary>
    /// AWS tag values allow letters, digits, spaces and <c>_ . : / = + - @</c>, up to 256 characters;
    /// anything else (a '#' in a branch name, say) becomes '-', so tagging never fails a deployment.
    /// </summary>
    public static string SanitizeValue(string value)
    {
        var builder = new StringBuilder(Math.Min(value.Length, MaxValueLength));
        foreach (var c in value.Trim())
        {
            if (builder.Length == MaxValueLength)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) || " _.:/=+-@".Contains(c, StringComparison.Ordinal) ? c : '-');
        }

        return builder.ToString();
    }

    private static void AddIfPresent(SortedDictionary<string, string> tags, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            tags[key] = SanitizeValue(value);
        }
    }
}
