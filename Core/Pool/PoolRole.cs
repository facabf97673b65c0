using System.Globalization;
using QaDatabases.Configuration;
using QaDatabases.Expiry;

namespace QaDatabases.Pool;

/// <summary>What to do when a claiming stack's pool has no free member.</summary>
public enum PoolFallback
{
    /// <summary>Fail the <c>pulumi up</c> at once, saying how to grow the pool.</summary>
    Fail,

    /// <summary>Declare a fresh clone instead, as a stack without <c>pool</c> would.</summary>
    Clone,
}

/// <summary>A stack's part in pooling: none, a pool of members, or a claimer of one pool's member.</summary>
public abstract record PoolRole
{
    public const int MaxPoolSize = 20;
    public static readonly TimeSpan ShortestMaxAge = TimeSpan.FromHours(1);
    public static readonly TimeSpan LongestMaxAge = TimeSpan.FromDays(30);

    private PoolRole()
    {
    }

    /// <summary>An ordinary stack: it declares its own clone.</summary>
    public sealed record NotPooled : PoolRole;

    /// <summary>A pool stack: <see cref="Size"/> members, each re-cloned once older than <see cref="MaxAge"/> or used.</summary>
    public sealed record PoolOf(int Size, TimeSpan MaxAge) : PoolRole;

    /// <summary>A claiming stack: it takes a free member of <see cref="PoolStack"/> and declares no cluster.</summary>
    public sealed record ClaimFrom(string PoolStack, PoolFallback Fallback) : PoolRole;

    public static readonly PoolRole None = new NotPooled();

    internal static PoolRole? Parse(
        IReadOnlyDictionary<string, string> raw, Func<ConfigKey, string> get, StackContext context, ICollection<ConfigProblem> problems)
    {
        var before = problems.Count;
        var sizeRaw = get(ConfigKeys.PoolSize);
        if (!int.TryParse(sizeRaw, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size > MaxPoolSize)
        {
            problems.Add(new(ConfigKeys.PoolSize.Name, sizeRaw, $"expected a whole number from 0 (not a pool) to {MaxPoolSize}"));
        }

        var maxAgeRaw = get(ConfigKeys.PoolMaxAge);
        if (!ExpiryPolicy.TryParseTtl(maxAgeRaw, out var maxAge) || maxAge < ShortestMaxAge || maxAge > LongestMaxAge)
        {
            problems.Add(new(ConfigKeys.PoolMaxAge.Name, maxAgeRaw, "expected a whole number and a unit m, h or d, from 1h to 30d (e.g. 24h)"));
        }

        var pool = get(ConfigKeys.Pool);
        if (pool.Length > 0 && !Naming.StackName.IsValid(pool))
        {
            problems.Add(new(ConfigKeys.Pool.Name, pool, $"expected the name of the pool stack: {Naming.StackName.Allowed}"));
        }
        else if (pool.Length > 0 && size > 0)
        {
            problems.Add(new(ConfigKeys.Pool.Name, pool, $"a stack is either a pool (poolSize {size}) or claims from one (pool), not both; remove one of the two"));
        }
        else if (pool == context.Stack)
        {
            problems.Add(new(ConfigKeys.Pool.Name, pool, "names this stack itself; name the pool stack to claim from"));
        }

        var fallbackRaw = get(ConfigKeys.PoolFallback);
        PoolFallback? fallback = fallbackRaw switch
        {
            "fail" => PoolFallback.Fail,
            "clone" => PoolFallback.Clone,
            _ => null,
        };
        if (fallback is null)
        {
            problems.Add(new(ConfigKeys.PoolFallback.Name, fallbackRaw, "expected fail or clone"));
        }
        else if (pool.Length == 0 && raw.TryGetValue(ConfigKeys.PoolFallback.Name, out var set) && set.Trim() != ConfigKeys.PoolFallback.Default)
        {
            problems.Add(new(ConfigKeys.PoolFallback.Name, set, "applies only when pool is set; remove it"));
        }

        if (problems.Count > before)
        {
            return null;
        }

        return size > 0 ? new PoolOf(size, maxAge) : pool.Length > 0 ? new ClaimFrom(pool, fallback!.Value) : None;
    }
}
