using System.Text.Json;
using System.Text.Json.Serialization;
using QaDatabases.Configuration;

namespace QaDatabases.Pool;

/// <summary>
/// Where a pool keeps its state in SSM Parameter Store: one folder per member under
/// <c>/qa-db/pools/&lt;pool stack&gt;/members/&lt;n&gt;/</c>, with up to three parameters. SSM rather than
/// a table of our own: its <c>PutParameter</c> without overwrite is an atomic create-if-absent in AWS
/// itself, which is all a lease needs, and the pool stack already writes SSM parameters.
/// </summary>
public static class PoolPaths
{
    public const string Root = "/qa-db/pools/";

    /// <summary>Written by the pool stack once a member's hooks passed: what a claimer connects to.</summary>
    public const string ReadyLeaf = "ready";

    /// <summary>Created only with PutParameter Overwrite=false: whoever created it holds the member.</summary>
    public const string LeaseLeaf = "lease";

    /// <summary>Written by a release before the lease goes: the member's data was written to, refill it.</summary>
    public const string UsedLeaf = "used";

    /// <summary>The lease holder a refill takes a member with; claimers are fully qualified stack names.</summary>
    public static string RefillHolder(string pool) => $"refill:{pool}";

    public static string Pool(string pool) => $"{Root}{pool}/";

    public static string Members(string pool) => $"{Pool(pool)}members/";

    public static string Member(string pool, int member) => $"{Members(pool)}{member}/";

    public static string Ready(string pool, int member) => Member(pool, member) + ReadyLeaf;

    public static string Lease(string pool, int member) => Member(pool, member) + LeaseLeaf;

    public static string Used(string pool, int member) => Member(pool, member) + UsedLeaf;
}

/// <summary>
/// A ready member: everything a claiming stack publishes and connects to, written by the pool stack
/// after the member's masking and smoke check passed. <see cref="CreatedAt"/> is when the member was
/// cloned, which is also its data time (members restore at the latest restorable time).
/// <see cref="Masking"/> is what the member's masking hook reported (the claiming stack's
/// <c>masking</c> output); <see cref="Masked"/> says whether anything masked it at all. A record
/// written before qa-db recorded masking has neither, and counts as unmasked: a claim takes it only
/// when the claiming stack allows unmasked data, until the pool's next <c>pulumi up</c> rewrites it.
/// </summary>
public sealed record MemberReady(
    string ClusterIdentifier,
    string Endpoint,
    string ReaderEndpoint,
    int Port,
    string MasterUserSecretArn,
    string MasterUsername,
    string ClusterResourceId,
    string DatabaseName,
    string Engine,
    string SecurityGroupId,
    string SourceCluster,
    int Generation,
    string CreatedAt,
    string? Masking = null,
    bool Masked = false)
{
    /// <summary>The claiming stack's <c>masking</c> output for a member whose record does not say.</summary>
    public const string UnknownMasking = "unknown: the pool wrote this member's ready record before qa-db recorded masking; treated as unmasked";
}

/// <summary>
/// Who holds a member, since when, and until when: <see cref="ExpiresAt"/> is the claiming stack's
/// own expiry (its ttl from the claim, or its expiresAt), so a forgotten claim is found by the expiry
/// sweep like a forgotten clone. Null for a refill's lease and for leases written before it existed.
/// </summary>
public sealed record MemberLease(string Holder, string Since, string? ExpiresAt = null);

/// <summary>Who last released a member, and when: its data may have been written to.</summary>
public sealed record MemberUsed(string By, string At);

/// <summary>What <c>qa-db pool claim</c> prints: the member's number and its ready record.</summary>
public sealed record ClaimedMember(string Pool, int Member, MemberReady Ready, string? ExpiresAt = null);

/// <summary>The JSON form of every pool record: camelCase, one line, the same in the CLI, tests and the Pulumi layer.</summary>
public static class PoolJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        RespectRequiredConstructorParameters = true,
    };

    public static string Write<T>(T record) => JsonSerializer.Serialize(record, Options);

    /// <summary>Null when the text is not a complete record of this type (a hand-edited or half-written parameter).</summary>
    public static T? TryRead<T>(string? json)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The claim's record from the claim command's stdout. Only the last line that is a JSON object
    /// counts, so anything a wrapper such as <c>dotnet run</c> prints before it is ignored.
    /// </summary>
    public static ClaimedMember ParseClaimOutput(string stdout)
    {
        foreach (var line in stdout.Split('\n').Select(l => l.Trim()).Reverse())
        {
            if (line.StartsWith('{') && TryRead<ClaimedMember>(line) is { Ready: not null } claimed)
            {
                return claimed;
            }
        }

        throw new FormatException($"The claim printed no claimed member record; its output was: {stdout.Trim()}");
    }

    /// <summary>Timestamps in pool records: whole seconds, UTC, as everywhere else in qa-db.</summary>
    public static string Timestamp(DateTimeOffset time) => UtcTimestamp.Format(time);
}
