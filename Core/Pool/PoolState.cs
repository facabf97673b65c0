using System.Globalization;
using QaDatabases.Configuration;

namespace QaDatabases.Pool;

/// <summary>One SSM parameter as AWS returned it.</summary>
public sealed record ObservedParameter(string Name, string Value, DateTimeOffset? LastModified = null);

/// <summary>
/// What SSM says about one member. A parameter whose JSON does not parse counts as present but
/// unreadable (<see cref="Problem"/>), and such a member is never handed out.
/// </summary>
public sealed record MemberState(int Number, MemberReady? Ready, MemberLease? Lease, MemberUsed? Used, bool HasReady, bool HasLease, bool HasUsed, string? Problem = null)
{
    /// <summary>The generation the pool stack declares the member with: the ready record's, else the first.</summary>
    public int Generation => Ready?.Generation ?? 1;
}

/// <summary>Everything SSM holds about one pool, by member number.</summary>
public sealed record PoolState(string Pool, IReadOnlyList<MemberState> Members)
{
    public MemberState? Member(int number) => Members.FirstOrDefault(m => m.Number == number);

    /// <summary>
    /// Groups the parameters under <see cref="PoolPaths.Members"/> by member. Parameters with any
    /// other shape are ignored: they are not ours.
    /// </summary>
    public static PoolState From(string pool, IEnumerable<ObservedParameter> parameters)
    {
        var prefix = PoolPaths.Members(pool);
        var byMember = new SortedDictionary<int, Dictionary<string, string>>();
        foreach (var parameter in parameters)
        {
            if (!parameter.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = parameter.Name[prefix.Length..].Split('/');
            if (rest.Length != 2 || !int.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                continue;
            }

            if (!byMember.TryGetValue(number, out var leaves))
            {
                byMember[number] = leaves = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            leaves[rest[1]] = parameter.Value;
        }

        var members = byMember.Select(pair =>
        {
            var leaves = pair.Value;
            var ready = PoolJson.TryRead<MemberReady>(leaves.GetValueOrDefault(PoolPaths.ReadyLeaf));
            var lease = PoolJson.TryRead<MemberLease>(leaves.GetValueOrDefault(PoolPaths.LeaseLeaf));
            var used = PoolJson.TryRead<MemberUsed>(leaves.GetValueOrDefault(PoolPaths.UsedLeaf));
            var problems = new List<string>();
            if (leaves.ContainsKey(PoolPaths.ReadyLeaf) && (ready is null || !UtcTimestamp.TryParse(ready.CreatedAt, out _)))
            {
                problems.Add("its ready record is unreadable");
            }

            if (leaves.ContainsKey(PoolPaths.LeaseLeaf) && lease is null)
            {
                problems.Add("its lease is unreadable");
            }

            return new MemberState(
                pair.Key, ready, lease, used,
                leaves.ContainsKey(PoolPaths.ReadyLeaf), leaves.ContainsKey(PoolPaths.LeaseLeaf), leaves.ContainsKey(PoolPaths.UsedLeaf),
                problems.Count == 0 ? null : string.Join("; ", problems));
        }).ToList();
        return new PoolState(pool, members);
    }
}
