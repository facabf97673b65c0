using System.Globalization;

namespace QaDatabases.Configuration;

/// <summary>
/// RFC 3339 timestamps in UTC, the one form AWS's restore API, our expiry tags and our config accept.
/// A 'Z' suffix is required: an offset such as +02:00 is refused rather than silently converted,
/// because a restore time someone typed in local time is almost always a mistake.
/// </summary>
public static class UtcTimestamp
{
    public const string Allowed = "an RFC 3339 timestamp in UTC ending in Z, e.g. 2026-11-20T08:00:00Z";

    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (!DateTime.TryParseExact(text.Trim(), Formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        value = new DateTimeOffset(parsed, TimeSpan.Zero);
        return true;
    }

    /// <summary>Whole seconds, 'Z' suffix: the form written to tags, outputs and the restore API.</summary>
    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
