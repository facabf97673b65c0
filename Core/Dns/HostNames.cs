using System.Text.RegularExpressions;
using QaDatabases.Configuration;
using QaDatabases.Naming;
using QaDatabases.Pool;

namespace QaDatabases.Dns;

/// <summary>The hosted zone the stable host names go in, as Route 53 describes it (<c>aws.route53.getZone</c>).</summary>
/// <param name="Id">The zone id from <c>dnsZoneId</c>.</param>
/// <param name="Name">The zone's domain name, with or without the trailing dot.</param>
/// <param name="IsPrivate">Whether it is a private hosted zone, answered only inside its VPCs.</param>
public sealed record HostedZone(string Id, string Name, bool IsPrivate);

/// <summary>
/// The two CNAME records of an environment: <see cref="WriterName"/> to the writer endpoint and
/// <see cref="ReaderName"/> to the reader endpoint of whatever the stack serves right now.
/// </summary>
public sealed record HostRecordsPlan(string ZoneId, string ZoneName, string WriterName, string ReaderName)
{
    /// <summary>
    /// Seconds a resolver may cache the answer: Aurora's own cluster endpoints use 5 s so clients follow a
    /// failover quickly; the same keeps a client (and the smoke check) from reaching a deleted clone for
    /// long after a refresh or a new claim moves the name.
    /// </summary>
    public const int Ttl = 5;

    /// <summary>Route 53's record type for a name that is an alias of another name.</summary>
    public const string RecordType = "CNAME";
}

/// <summary>
/// Stable host names: <c>{prefix}{stack}.{zone}</c> and <c>{prefix}{stack}-ro.{zone}</c> (the stack
/// mapped as for the clone's identifiers), which point at the fresh clone, the new generation after a
/// refresh, or the member a claiming stack holds, so an application's configuration never changes.
/// The clone prefix starts every name, as it starts every identifier: the deployer role may change
/// records in the zone only under it (<see cref="Access.DeployerPolicy"/>).
/// </summary>
public static partial class HostNames
{
    /// <summary>The longest domain name DNS allows, in its text form without the trailing dot.</summary>
    public const int MaxNameLength = 253;

    /// <summary>Validates <c>dnsZoneId</c>; empty means no stable host names.</summary>
    public static string? ParseZoneId(string raw, ICollection<ConfigProblem> problems)
    {
        if (raw.Length == 0)
        {
            return null;
        }

        if (!ZoneId().IsMatch(raw))
        {
            problems.Add(new(ConfigKeys.DnsZoneId.Name, raw,
                "expected a Route 53 hosted zone id: Z followed by up to 31 upper-case letters and digits, such as Z0123456789ABCDEFGHIJ "
                + "(the id, not the zone's name: `aws route53 list-hosted-zones-by-name` shows it), or empty for no stable host names"));
            return null;
        }

        return raw;
    }

    /// <summary>
    /// The records of the stack, or null when it has none: without <c>dnsZoneId</c>, and on a pool stack,
    /// whose members are not environments anyone connects to (the stack that claims one gets the names).
    /// </summary>
    /// <exception cref="ConfigValidationException">The zone is public, or a name would be longer than DNS allows.</exception>
    public static HostRecordsPlan? For(StackSettings settings, HostedZone? zone)
    {
        if (settings.DnsZoneId is null || zone is null || settings.Pool is PoolRole.PoolOf)
        {
            return null;
        }

        var names = ResourceNames.ForStack(settings.Context.Stack, 1, settings.ClonePrefix);
        var zoneName = zone.Name.TrimEnd('.').ToLowerInvariant();
        var problems = new List<ConfigProblem>();
        if (!zone.IsPrivate)
        {
            problems.Add(new(ConfigKeys.DnsZoneId.Name, settings.DnsZoneId,
                $"is the public hosted zone {zoneName}: its records would tell the internet every QA clone's name and endpoint; use a private hosted zone associated with the clone's VPC ({settings.VpcId})"));
        }

        var reader = $"{names.ReaderHostLabel}.{zoneName}";
        if (reader.Length > MaxNameLength)
        {
            problems.Add(new(ConfigKeys.DnsZoneId.Name, settings.DnsZoneId,
                $"names zone {zoneName}, under which {reader} would be longer than the {MaxNameLength} characters DNS allows; use a zone with a shorter name"));
        }

        return problems.Count > 0
            ? throw new ConfigValidationException(problems)
            : new HostRecordsPlan(settings.DnsZoneId, zoneName, $"{names.WriterHostLabel}.{zoneName}", reader);
    }

    [GeneratedRegex("^Z[A-Z0-9]{1,31}$")]
    private static partial Regex ZoneId();
}
