using System.Security.Cryptography;
using System.Text;
using QaDatabases.Configuration;

namespace QaDatabases.Pool;

/// <summary>Where a member stands, from SSM alone.</summary>
public enum MemberStatus
{
    /// <summary>Ready, no lease, not used: a claim may take it.</summary>
    Free,

    /// <summary>Held by a claiming stack.</summary>
    Leased,

    /// <summary>Released after a claim: its data may have been written to; the next refill re-clones it.</summary>
    Used,

    /// <summary>Being made or re-cloned (no ready record yet, or held by the pool's own refill).</summary>
    Refilling,

    /// <summary>A parameter of it does not parse: never handed out, reported for a human.</summary>
    Unreadable,
}

/// <summary>What a <c>pulumi up</c> on the pool stack does with one member.</summary>
public enum RefillAction
{
    /// <summary>Declared as it is: same generation, so no replacement.</summary>
    Keep,

    /// <summary>Re-cloned: declared with the next generation, after taking the member's lease for the refill.</summary>
    Refill,
}

/// <summary>What a claiming stack declares.</summary>
public enum ClaimerChoice
{
    Claim,
    Clone,
    Fail,
}

/// <summary>The decision for one member, and why.</summary>
public sealed record MemberDecision(int Number, int Generation, RefillAction Action, string Reason);

/// <summary>
/// Every pool decision, as pure functions over what SSM holds: which members a claim may take and in
/// which order, which members a refill re-clones, and what a failed claim says.
/// </summary>
public static class PoolDecisions
{
    /// <summary>The exit code of a claim that found no free member (<see cref="ExitCodes.NoFreeMember"/>).</summary>
    public const int NoFreeMemberExitCode = ExitCodes.NoFreeMember;

    public static MemberStatus StatusOf(MemberState member, string pool)
    {
        if (member.Problem is not null)
        {
            return MemberStatus.Unreadable;
        }

        if (member.Lease is { } lease)
        {
            return lease.Holder == PoolPaths.RefillHolder(pool) ? MemberStatus.Refilling : MemberStatus.Leased;
        }

        if (member.HasUsed)
        {
            return MemberStatus.Used;
        }

        return member.Ready is null ? MemberStatus.Refilling : MemberStatus.Free;
    }

    /// <summary>
    /// The free members, in the order a claimer tries to lease them: rotated to start at a point
    /// derived from the claimer's name, so concurrent claimers spread over the pool instead of all
    /// racing for member 1. Correctness never depends on the order: the lease itself is atomic.
    /// </summary>
    /// <param name="state">The pool's state in SSM.</param>
    /// <param name="claimer">The claiming stack's fully qualified name.</param>
    /// <param name="acceptUnmasked">
    /// The claiming stack allows unmasked data. Otherwise a member published unmasked (its pool allows
    /// unmasked data, or its record predates masking records) is never handed out.
    /// </param>
    public static IReadOnlyList<int> ClaimOrder(PoolState state, string claimer, bool acceptUnmasked = false)
    {
        var free = state.Members.Where(m => StatusOf(m, state.Pool) == MemberStatus.Free && (acceptUnmasked || m.Ready!.Masked))
            .Select(m => m.Number).Order().ToList();
        if (free.Count == 0)
        {
            return free;
        }

        var start = (int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(claimer)), 0) % (uint)free.Count);
        return [.. free.Skip(start), .. free.Take(start)];
    }

    /// <summary>
    /// What a claim says when no member is free: the counts, and how to grow the pool. Free members
    /// that were published unmasked, which a claimer that does not allow unmasked data may not take,
    /// are counted apart, with what to do about them.
    /// </summary>
    public static string NoFreeMemberMessage(PoolState state, bool acceptUnmasked = false)
    {
        var counts = state.Members.GroupBy(m => StatusOf(m, state.Pool)).ToDictionary(g => g.Key, g => g.Count());
        int Count(MemberStatus s) => counts.GetValueOrDefault(s);
        var size = state.Members.Count;
        var unreadable = Count(MemberStatus.Unreadable) > 0 ? $", {Count(MemberStatus.Unreadable)} unreadable" : "";
        var unmasked = acceptUnmasked ? 0 : state.Members.Count(m => StatusOf(m, state.Pool) == MemberStatus.Free && !m.Ready!.Masked);
        var refused = unmasked == 0
            ? ""
            : $", {unmasked} free but published unmasked, which this stack does not accept: give pool {state.Pool} a {ConfigKeys.MaskingPolicy.Name} "
                + $"and run pulumi up --stack {state.Pool} (it also rewrites ready records written before qa-db recorded masking), or set {ConfigKeys.AllowUnmaskedData.Name} on this stack";
        return $"no free member in pool {state.Pool} ({size} members: {Count(MemberStatus.Leased)} leased, {Count(MemberStatus.Used)} used, "
            + $"{Count(MemberStatus.Refilling)} refilling{unreadable}{refused}); grow it: pulumi config set poolSize {size + 1} --stack {state.Pool} && pulumi up --stack {state.Pool}";
    }

    /// <summary>
    /// What the pool stack's <c>pulumi up</c> does with each of its <paramref name="size"/> members.
    /// A member held by a claimer is never touched, whatever its age or use. A used member, one older
    /// than <paramref name="maxAge"/>, and one whose earlier refill did not finish (still held by the
    /// pool's refill lease) are re-cloned under the next generation. Every other member keeps its
    /// generation, so its inputs are unchanged and Pulumi plans no replacement.
    /// </summary>
    public static IReadOnlyList<MemberDecision> Refill(PoolState state, int size, TimeSpan maxAge, DateTimeOffset now)
    {
        var problems = new List<ConfigProblem>();
        foreach (var beyond in state.Members.Where(m => m.Number > size && StatusOf(m, state.Pool) == MemberStatus.Leased))
        {
            problems.Add(new(ConfigKeys.PoolSize.Name, size.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"would delete member {beyond.Number}, which {beyond.Lease!.Holder} holds since {beyond.Lease.Since}; keep poolSize at {beyond.Number} or more until that stack is destroyed"));
        }

        if (problems.Count > 0)
        {
            throw new ConfigValidationException(problems);
        }

        var decisions = new List<MemberDecision>();
        for (var n = 1; n <= size; n++)
        {
            var member = state.Member(n);
            if (member is null)
            {
                decisions.Add(new(n, 1, RefillAction.Keep, "new member"));
                continue;
            }

            var generation = member.Generation;
            var status = StatusOf(member, state.Pool);
            MemberDecision Refill(string reason) => new(n, Math.Min(generation + 1, Naming.ResourceNames.MaxGeneration), RefillAction.Refill, reason);

            decisions.Add(status switch
            {
                MemberStatus.Leased => new(n, generation, RefillAction.Keep, $"leased by {member.Lease!.Holder} since {member.Lease.Since}: never touched"),
                MemberStatus.Used => Refill($"used (released by {member.Used?.By ?? "?"} at {member.Used?.At ?? "?"})"),
                MemberStatus.Refilling when member.HasLease => Refill("an earlier refill did not finish"),
                MemberStatus.Unreadable => new(n, generation, RefillAction.Keep, $"left alone: {member.Problem}"),
                _ when member.Ready is { } ready && UtcTimestamp.TryParse(ready.CreatedAt, out var created) && now - created >= maxAge =>
                    Refill($"aged: cloned {ready.CreatedAt}, older than {Expiry.ExpiryPolicy.FormatTtl(maxAge)}"),
                _ => new(n, generation, RefillAction.Keep, status == MemberStatus.Free ? "free and fresh" : "being made"),
            });
        }

        return decisions;
    }

    /// <summary>
    /// What a claiming stack's program declares, read-only at program time (so <c>pulumi preview</c>
    /// says it too): the claim, when the stack already holds a member or one is free; else a fresh
    /// clone with <c>poolFallback: clone</c>; else nothing, failing with how to grow the pool. The
    /// claim command itself still takes the lease atomically at <c>pulumi up</c>: a member free now
    /// may be gone by then, and the claim then fails with the same message.
    /// <paramref name="publishedCluster"/> is the cluster the stack's own SSM names publish now (null:
    /// none). When that is a clone of the stack's own rather than a pool member, the stack keeps it:
    /// switching a live fallback clone to a claim would make Pulumi destroy it on the next
    /// <c>pulumi up</c> merely because the pool had a free member again.
    /// </summary>
    public static ClaimerChoice ChooseForClaimer(PoolState state, string holder, PoolFallback fallback, string? publishedCluster = null, bool acceptUnmasked = false)
    {
        EnsureKnown(state);
        if (state.Members.Any(m => m.Lease?.Holder == holder))
        {
            return ClaimerChoice.Claim;
        }

        if (publishedCluster is not null && state.Members.All(m => m.Ready?.ClusterIdentifier != publishedCluster))
        {
            return ClaimerChoice.Clone;
        }

        if (ClaimOrder(state, holder, acceptUnmasked).Count > 0)
        {
            return ClaimerChoice.Claim;
        }

        return fallback == PoolFallback.Clone ? ClaimerChoice.Clone : ClaimerChoice.Fail;
    }

    /// <summary>
    /// A claiming stack names a pool that has no member in SSM: a typo, another account or region,
    /// or a pool never brought up. Said before any resource is declared.
    /// </summary>
    public static void EnsureKnown(PoolState state)
    {
        if (state.Members.Count == 0)
        {
            throw new ConfigValidationException([new ConfigProblem(ConfigKeys.Pool.Name, state.Pool,
                $"is an unknown pool: SSM has no members under {PoolPaths.Members(state.Pool)} in this account and region; "
                + $"check the name, or make the pool with `pulumi config set poolSize 3 --stack {state.Pool} && pulumi up --stack {state.Pool}`")]);
        }
    }
}
