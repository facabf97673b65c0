using System.Globalization;
using System.Text.RegularExpressions;
using QaDatabases.Configuration;

namespace QaDatabases.Expiry;

/// <summary>
/// When an environment should be destroyed: a time to live counted from its first <c>pulumi up</c>,
/// or an absolute moment. Every resource carries the result as a tag and the stack exports it.
/// </summary>
public abstract partial record ExpiryPolicy
{
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromHours(72);
    public static readonly TimeSpan ShortestTtl = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan LongestTtl = TimeSpan.FromDays(90);

    private ExpiryPolicy()
    {
    }

    /// <summary>The moment the environment expires, given when it was first created.</summary>
    public abstract DateTimeOffset ExpiresAt(DateTimeOffset createdAt);

    public sealed record TimeToLive(TimeSpan Ttl) : ExpiryPolicy
    {
        public override DateTimeOffset ExpiresAt(DateTimeOffset createdAt) => createdAt + Ttl;

        public override string ToString() => $"ttl {FormatTtl(Ttl)} from first creation";
    }

    public sealed record Fixed(DateTimeOffset At) : ExpiryPolicy
    {
        public override DateTimeOffset ExpiresAt(DateTimeOffset createdAt) => At;

        public override string ToString() => $"fixed {UtcTimestamp.Format(At)}";
    }

    /// <summary>
    /// The expiry tag value, from the creation time the stack records once (the stdout of its
    /// "created-at" command, a UTC timestamp), so that later runs compute the same value.
    /// </summary>
    public string ExpiresAtTag(string createdAtOutput) =>
        UtcTimestamp.TryParse(createdAtOutput, out var createdAt)
            ? UtcTimestamp.Format(ExpiresAt(createdAt))
            : throw new FormatException($"The environment's recorded creation time '{createdAtOutput.Trim()}' is not {UtcTimestamp.Allowed}.");

    /// <summary>The command whose output, recorded once at creation, is the environment's creation time.</summary>
    public const string CreatedAtCommand = "date -u +%Y-%m-%dT%H:%M:%SZ";

    /// <summary>Parses a TTL such as 30m, 72h or 14d.</summary>
    public static bool TryParseTtl(string raw, out TimeSpan ttl)
    {
        ttl = default;
        var match = TtlPattern().Match(raw.Trim());
        if (!match.Success || !int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        ttl = match.Groups["unit"].Value switch
        {
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            _ => TimeSpan.FromDays(n),
        };
        return true;
    }

    public static string FormatTtl(TimeSpan ttl) =>
        ttl.TotalHours == Math.Floor(ttl.TotalHours) ? $"{ttl.TotalHours:0}h" : $"{ttl.TotalMinutes:0}m";

    internal static ExpiryPolicy? Parse(string ttlRaw, string expiresAtRaw, DateTimeOffset now, ICollection<ConfigProblem> problems)
    {
        if (!string.IsNullOrWhiteSpace(expiresAtRaw))
        {
            if (!UtcTimestamp.TryParse(expiresAtRaw, out var at))
            {
                problems.Add(new(ConfigKeys.ExpiresAt.Name, expiresAtRaw, $"expected {UtcTimestamp.Allowed}, or empty to use ttl"));
                return null;
            }

            if (at <= now)
            {
                problems.Add(new(ConfigKeys.ExpiresAt.Name, expiresAtRaw, $"is already past (now is {UtcTimestamp.Format(now)}); extend it or destroy the stack"));
                return null;
            }

            return new Fixed(at);
        }

        if (!TryParseTtl(ttlRaw, out var ttl) || ttl < ShortestTtl || ttl > LongestTtl)
        {
            problems.Add(new(ConfigKeys.Ttl.Name, ttlRaw, "expected a whole number and a unit m, h or d, from 30m to 90d (e.g. 72h)"));
            return null;
        }

        return new TimeToLive(ttl);
    }

    [GeneratedRegex("^(?<n>[0-9]{1,6})(?<unit>[mhd])$")]
    private static partial Regex TtlPattern();
}
