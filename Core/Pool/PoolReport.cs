using System.Globalization;
using System.Text;
using System.Text.Json;
using QaDatabases.Configuration;
using QaDatabases.Expiry;
using QaDatabases.Tagging;

namespace QaDatabases.Pool;

/// <summary>One member as <c>qa-db pool</c> reports it.</summary>
public sealed record MemberReport(
    int Number, MemberStatus Status, string Detail, string? ClusterIdentifier, string? ClusterStatus, TimeSpan? Age, string? DataTime);

/// <summary>
/// The pool as AWS sees it: the members' clusters (by their pool tags, from the same
/// <c>describe-db-clusters</c> JSON <c>qa-db expired</c> reads) and their leases (from
/// <c>get-parameters-by-path</c>). Age is counted from the cluster's <c>ClusterCreateTime</c>; the
/// data time is the member's recorded creation time (it restores at the latest restorable time).
/// </summary>
public static class PoolReport
{
    /// <summary>Reads the JSON <c>aws ssm get-parameters-by-path --recursive --output json</c> prints.</summary>
    public static IReadOnlyList<ObservedParameter> ParseGetParametersByPath(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("Parameters", out var parameters) || parameters.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("Expected the output of `aws ssm get-parameters-by-path --recursive --output json`: an object with a Parameters array.");
        }

        var result = new List<ObservedParameter>();
        foreach (var p in parameters.EnumerateArray())
        {
            if (p.TryGetProperty("Name", out var name) && p.TryGetProperty("Value", out var value) && name.GetString() is { } n && value.GetString() is { } v)
            {
                DateTimeOffset? modified = p.TryGetProperty("LastModifiedDate", out var m) && m.ValueKind == JsonValueKind.String
                    && DateTimeOffset.TryParse(m.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
                result.Add(new ObservedParameter(n, v, modified));
            }
        }

        return result;
    }

    public static IReadOnlyList<MemberReport> Evaluate(PoolState state, IEnumerable<TaggedCluster> clusters, DateTimeOffset now)
    {
        var byMember = clusters
            .Where(c => c.Tags.GetValueOrDefault(ResourceTags.Pool) == state.Pool)
            .GroupBy(c => int.TryParse(c.Tags.GetValueOrDefault(ResourceTags.PoolMember), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.CreatedAt).First());
        var numbers = state.Members.Select(m => m.Number).Union(byMember.Keys.Where(n => n > 0)).Order();

        return numbers.Select(n =>
        {
            var member = state.Member(n) ?? new MemberState(n, null, null, null, false, false, false);
            var status = PoolDecisions.StatusOf(member, state.Pool);
            var cluster = byMember.GetValueOrDefault(n);
            var detail = status switch
            {
                MemberStatus.Free => "free",
                MemberStatus.Leased => $"leased by {member.Lease!.Holder} since {member.Lease.Since}" + member.Lease.ExpiresAt switch
                {
                    null => "",
                    var at when UtcTimestamp.TryParse(at, out var t) && t <= now => $", EXPIRED at {at}",
                    var at => $", until {at}",
                },
                MemberStatus.Used => $"used (released by {member.Used?.By ?? "?"} at {member.Used?.At ?? "?"}); refilled by the next pool update",
                MemberStatus.Refilling when member.HasLease => $"refilling since {member.Lease!.Since}",
                MemberStatus.Refilling => cluster is null ? "refilling: no cluster yet" : "refilling: hooks have not passed yet",
                _ => $"unreadable: {member.Problem}",
            };
            return new MemberReport(n, status, detail, cluster?.ClusterIdentifier ?? member.Ready?.ClusterIdentifier, cluster?.Status,
                cluster?.CreatedAt is { } created ? now - created : null, member.Ready?.CreatedAt);
        }).ToList();
    }

    public static string Render(string pool, IReadOnlyList<MemberReport> members, DateTimeOffset now)
    {
        var text = new StringBuilder();
        var free = members.Count(m => m.Status == MemberStatus.Free);
        text.AppendLine(CultureInfo.InvariantCulture, $"Pool {pool} at {UtcTimestamp.Format(now)}: {members.Count} member(s), {free} free.");
        foreach (var m in members)
        {
            var age = m.Age is { } a ? FormatAge(a) : "-";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  m{m.Number,-3} {m.ClusterIdentifier ?? "-",-32} {m.ClusterStatus ?? "-",-10} age {age,-7} data {m.DataTime ?? "-",-20}  {m.Detail}");
        }

        if (free == 0 && members.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"No member is free: a claim now fails. Grow the pool: pulumi config set poolSize {members.Count + 1} --stack {pool} && pulumi up --stack {pool}");
        }

        return text.ToString();
    }

    private static string FormatAge(TimeSpan age) =>
        age.TotalDays >= 1 ? $"{(int)age.TotalDays}d{age.Hours}h" : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h{age.Minutes}m" : $"{Math.Max(0, (int)age.TotalMinutes)}m";
}
