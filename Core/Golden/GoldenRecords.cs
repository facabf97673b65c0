using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using QaDatabases.Configuration;

namespace QaDatabases.Golden;

/// <summary>
/// Where a golden is recorded in SSM Parameter Store: one parameter per golden stack,
/// <c>/qa-db/goldens/&lt;stack&gt;/ready</c>. It is written only by the golden stack's own
/// <c>pulumi up</c>, after the golden's masking and gate passed, in one atomic overwrite.
/// </summary>
public static class GoldenPaths
{
    public const string Root = "/qa-db/goldens/";

    public static string Golden(string stack) => $"{Root}{stack}/";

    public static string Ready(string stack) => Golden(stack) + "ready";
}

/// <summary>
/// A golden's ready record: the masked cluster consumers clone, its generation, the fingerprint of the
/// masking policy it was masked under (a consumer with another policy is refused), the data time (when
/// it was cloned, at the source's latest restorable time) and the source it was cloned from.
/// </summary>
public sealed record GoldenRecord(string Cluster, int Generation, string PolicyFingerprint, string DataTime, string SourceCluster)
{
    /// <summary>One line of camelCase JSON: the parameter's value.</summary>
    public string ToJson() => GoldenJson.Write(this);

    /// <summary>
    /// Reads a record strictly: every field present and valid, no other field. A record that is not
    /// complete was not written by this program (a hand edit, or a half-written value), and a
    /// consumer must not clone whatever it names.
    /// </summary>
    /// <exception cref="GoldenRejectedException">The text is not a complete, valid record.</exception>
    public static GoldenRecord Parse(string json, string parameterName)
    {
        var record = GoldenJson.Read<GoldenRecord>(json, parameterName);
        var problems = new List<string>();
        if (!GoldenJson.IsClusterIdentifier(record.Cluster))
        {
            problems.Add($"cluster '{record.Cluster}' is not an RDS cluster identifier");
        }

        if (record.Generation is < 1 or > Naming.ResourceNames.MaxGeneration)
        {
            problems.Add($"generation {record.Generation} is not from 1 to {Naming.ResourceNames.MaxGeneration}");
        }

        if (!GoldenJson.IsFingerprint(record.PolicyFingerprint))
        {
            problems.Add($"policyFingerprint '{record.PolicyFingerprint}' is not a SHA-256 in lower-case hex");
        }

        if (!UtcTimestamp.TryParse(record.DataTime, out _))
        {
            problems.Add($"dataTime '{record.DataTime}' is not {UtcTimestamp.Allowed}");
        }

        if (!GoldenJson.IsClusterIdentifier(record.SourceCluster))
        {
            problems.Add($"sourceCluster '{record.SourceCluster}' is not an RDS cluster identifier");
        }

        return problems.Count == 0 ? record : throw GoldenJson.Unreadable(parameterName, string.Join("; ", problems));
    }
}

/// <summary>
/// What a consumer was cloned from, published under its own SSM prefix (<see cref="ParameterLeaf"/>)
/// with its clone: the golden's record at the time, and the consumer's <c>cloneGeneration</c> then. The
/// next <c>pulumi up</c> keeps this source until <c>cloneGeneration</c> is raised, so a golden refresh
/// never changes an existing consumer's restore inputs (and so never replaces its clone).
/// </summary>
public sealed record GoldenSource(string GoldenStack, string Cluster, int Generation, string PolicyFingerprint, string DataTime, int CloneGeneration)
{
    /// <summary>The leaf under the consumer's SSM prefix: <c>/qa/&lt;stack&gt;/db/golden-source</c>.</summary>
    public const string ParameterLeaf = "golden-source";

    public string ToJson() => GoldenJson.Write(this);

    /// <exception cref="GoldenRejectedException">The text is not a complete record of this shape.</exception>
    public static GoldenSource Parse(string json, string parameterName)
    {
        var source = GoldenJson.Read<GoldenSource>(json, parameterName);
        return GoldenJson.IsClusterIdentifier(source.Cluster) && GoldenJson.IsFingerprint(source.PolicyFingerprint) && source.Generation >= 1 && source.CloneGeneration >= 1
            ? source
            : throw GoldenJson.Unreadable(parameterName, "its cluster, generations or policy fingerprint are not valid");
    }
}

/// <summary>
/// A golden cannot be cloned as configured: its record is missing or unreadable, or it was masked
/// under another policy than the consumer's. Raised before any resource is declared; the message is
/// the whole error, including what to run.
/// </summary>
public sealed class GoldenRejectedException : Exception
{
    public GoldenRejectedException()
    {
    }

    public GoldenRejectedException(string message)
        : base(message)
    {
    }

    public GoldenRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The JSON of the golden records: camelCase, one line, and strict on reading.</summary>
internal static partial class GoldenJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public static string Write<T>(T record) => JsonSerializer.Serialize(record, Options);

    public static T Read<T>(string json, string parameterName)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw Unreadable(parameterName, "it is null");
        }
        catch (JsonException e)
        {
            throw Unreadable(parameterName, e.Message);
        }
    }

    public static GoldenRejectedException Unreadable(string parameterName, string why) =>
        new($"SSM parameter {parameterName} is not a record qa-db wrote ({why}); it is written only by `pulumi up` on the golden stack: run that again to rewrite it");

    public static bool IsClusterIdentifier(string text) => ClusterIdentifier().IsMatch(text) && !text.Contains("--", StringComparison.Ordinal);

    public static bool IsFingerprint(string text) => Fingerprint().IsMatch(text);

    [GeneratedRegex("^[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex ClusterIdentifier();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Fingerprint();
}
