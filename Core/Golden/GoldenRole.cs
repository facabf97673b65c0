using System.Globalization;
using System.Text.Json;
using QaDatabases.Configuration;
using QaDatabases.Expiry;

namespace QaDatabases.Golden;

/// <summary>
/// A stack's part in masking once: an ordinary stack (it clones <c>sourceCluster</c> and masks its own
/// clone), a golden (it clones <c>sourceCluster</c>, masks it once and records it for others), or a
/// consumer of a golden (<c>sourceStack</c>: it clones the golden's masked cluster and masks nothing).
/// </summary>
public abstract record GoldenRole
{
    public static readonly TimeSpan ShortestMaxAge = TimeSpan.FromHours(1);
    public static readonly TimeSpan LongestMaxAge = TimeSpan.FromDays(90);

    private GoldenRole()
    {
    }

    /// <summary>Neither a golden nor a consumer of one.</summary>
    public sealed record NotGolden : GoldenRole;

    /// <summary>A golden stack: its next <c>pulumi up</c> refreshes it once its data is older than <see cref="MaxAge"/>.</summary>
    public sealed record Golden(TimeSpan MaxAge) : GoldenRole;

    /// <summary>A consumer: it clones the cluster that <see cref="GoldenStack"/>'s ready record names.</summary>
    public sealed record Consumer(string GoldenStack) : GoldenRole;

    public static readonly GoldenRole None = new NotGolden();

    /// <summary>
    /// Reads <c>golden</c>, <c>goldenMaxAge</c> and <c>sourceStack</c>, and the rules they set for other
    /// keys: a golden clones <c>sourceCluster</c> at its latest time and is neither a pool nor a claimer;
    /// a consumer names no <c>sourceCluster</c>, no <c>restoreTime</c> and no masking scripts of its own.
    /// </summary>
    internal static GoldenRole? Parse(
        IReadOnlyDictionary<string, string> raw, Func<ConfigKey, string> get, StackContext context, ICollection<ConfigProblem> problems)
    {
        var before = problems.Count;
        var goldenRaw = get(ConfigKeys.Golden);
        if (!bool.TryParse(goldenRaw, out var golden))
        {
            problems.Add(new(ConfigKeys.Golden.Name, goldenRaw, "expected true or false"));
        }

        var maxAgeRaw = get(ConfigKeys.GoldenMaxAge);
        if (!ExpiryPolicy.TryParseTtl(maxAgeRaw, out var maxAge) || maxAge < ShortestMaxAge || maxAge > LongestMaxAge)
        {
            problems.Add(new(ConfigKeys.GoldenMaxAge.Name, maxAgeRaw, "expected a whole number and a unit m, h or d, from 1h to 90d (e.g. 7d)"));
        }
        else if (!golden && IsSet(raw, ConfigKeys.GoldenMaxAge))
        {
            problems.Add(new(ConfigKeys.GoldenMaxAge.Name, maxAgeRaw, $"applies only when {ConfigKeys.Golden.Name} is true; remove it"));
        }

        var sourceStack = get(ConfigKeys.SourceStack);
        var sourceCluster = get(ConfigKeys.SourceCluster);
        var restoreTime = get(ConfigKeys.RestoreTime);
        if (sourceStack.Length > 0 && !Naming.StackName.IsValid(sourceStack))
        {
            problems.Add(new(ConfigKeys.SourceStack.Name, sourceStack, $"expected the name of the golden stack: {Naming.StackName.Allowed}"));
        }
        else if (sourceStack == context.Stack)
        {
            problems.Add(new(ConfigKeys.SourceStack.Name, sourceStack, "names this stack itself; name the golden stack to clone from"));
        }
        else if (sourceStack.Length > 0)
        {
            if (golden)
            {
                problems.Add(new(ConfigKeys.SourceStack.Name, sourceStack,
                    $"a golden clones {ConfigKeys.SourceCluster.Name} itself and masks it, never another golden; remove {ConfigKeys.SourceStack.Name}"));
            }

            if (sourceCluster.Length > 0)
            {
                problems.Add(new(ConfigKeys.SourceCluster.Name, sourceCluster,
                    $"excludes {ConfigKeys.SourceStack.Name}: this stack clones the cluster golden stack {sourceStack} records; remove one of the two"));
            }

            if (restoreTime.Length > 0)
            {
                // The golden's restorable window starts at its creation, before its masking: any time but
                // the latest could hand out data that was never masked.
                problems.Add(new(ConfigKeys.RestoreTime.Name, restoreTime,
                    $"a clone of a golden is always made at the golden's latest restorable time: earlier times of the golden hold data from before its masking; remove {ConfigKeys.RestoreTime.Name}"));
            }

            if (get(ConfigKeys.MaskingPolicy).Length == 0)
            {
                problems.Add(new(ConfigKeys.MaskingPolicy.Name, null,
                    $"is required to clone golden stack {sourceStack}: the clone runs the gate of this policy, and the golden must have been masked under the same policy (its fingerprint is in the golden's record)"));
            }

            if (ListIsSet(get(ConfigKeys.MaskingScripts)))
            {
                problems.Add(new(ConfigKeys.MaskingScripts.Name, get(ConfigKeys.MaskingScripts),
                    $"a clone of golden stack {sourceStack} runs no masking: the golden was masked once for all its clones; set the scripts on the golden stack and remove them here"));
            }
        }

        if (golden)
        {
            if (get(ConfigKeys.MaskingPolicy).Length == 0)
            {
                problems.Add(new(ConfigKeys.MaskingPolicy.Name, null,
                    "is required for a golden: its clones run no masking of their own, only the gate of the policy it was masked under, which its record names by fingerprint"));
            }

            if (restoreTime.Length > 0)
            {
                problems.Add(new(ConfigKeys.RestoreTime.Name, restoreTime,
                    $"a golden always clones the latest restorable time, so that each refresh brings current data; remove {ConfigKeys.RestoreTime.Name}"));
            }

            if (int.TryParse(get(ConfigKeys.PoolSize), NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0)
            {
                problems.Add(new(ConfigKeys.Golden.Name, goldenRaw,
                    $"a stack is either a golden or a pool ({ConfigKeys.PoolSize.Name} {size}), not both; make the pool a stack of its own with {ConfigKeys.SourceStack.Name}: {context.Stack}"));
            }

            if (get(ConfigKeys.Pool) is { Length: > 0 } pool)
            {
                problems.Add(new(ConfigKeys.Golden.Name, goldenRaw,
                    $"a golden is a cluster of its own and cannot claim from pool {pool}; remove {ConfigKeys.Pool.Name}"));
            }
        }

        if (problems.Count > before)
        {
            return null;
        }

        return golden ? new Golden(maxAge) : sourceStack.Length > 0 ? new Consumer(sourceStack) : None;
    }

    private static bool IsSet(IReadOnlyDictionary<string, string> raw, ConfigKey key) =>
        raw.TryGetValue(key.Name, out var value) && value.Trim() != key.Default;

    private static bool ListIsSet(string json)
    {
        try
        {
            return json.Length > 0 && JsonSerializer.Deserialize<List<string>>(json) is { Count: > 0 };
        }
        catch (JsonException)
        {
            return true;
        }
    }
}
