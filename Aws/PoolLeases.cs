using QaDatabases.Pool;

namespace QaDatabases.Aws;

/// <summary>The outcome of a claim: the member taken, or the pool's state when none was free.</summary>
public sealed record ClaimResult(ClaimedMember? Claimed, PoolState State);

/// <summary>The outcome of a release or of a refill's bookkeeping.</summary>
public sealed record LeaseChange(bool Succeeded, string Message);

/// <summary>
/// Claim, release and the refill's lease, against SSM. Which members to try and in which order is
/// decided by <see cref="PoolDecisions"/>; who gets a member is decided by AWS alone, through the
/// create-if-absent lease.
/// </summary>
public sealed class PoolLeases(SsmPoolStore store, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>
    /// Takes one free, ready member of <paramref name="pool"/> for <paramref name="holder"/> (the
    /// claiming stack's fully qualified name). A member this holder already leases is returned again,
    /// so a claim re-run after an interrupted <c>pulumi up</c> does not take a second member. A member
    /// published unmasked is taken only with <paramref name="acceptUnmasked"/>.
    /// </summary>
    public async Task<ClaimResult> ClaimAsync(
        string pool, string holder, CancellationToken cancellationToken, Expiry.ExpiryPolicy? expiry = null, bool acceptUnmasked = false)
    {
        var state = await store.ReadAsync(pool, cancellationToken);
        if (state.Members.FirstOrDefault(m => m.Lease?.Holder == holder && m.Ready is not null) is { } mine)
        {
            return new ClaimResult(new ClaimedMember(pool, mine.Number, mine.Ready!, mine.Lease!.ExpiresAt), state);
        }

        var now = _clock.GetUtcNow();
        var expiresAt = expiry is null ? null : PoolJson.Timestamp(expiry.ExpiresAt(now));
        var lease = PoolJson.Write(new MemberLease(holder, PoolJson.Timestamp(now), expiresAt));
        foreach (var number in PoolDecisions.ClaimOrder(state, holder, acceptUnmasked))
        {
            if (!await store.TryCreateAsync(PoolPaths.Lease(pool, number), lease, cancellationToken))
            {
                continue; // another claimer, or the refill, took it first
            }

            // Under our lease nothing else changes the member, so this read is stable. It catches a
            // member that was released (used) or re-cloned between our state read and our lease.
            var current = await store.GetAsync([PoolPaths.Ready(pool, number), PoolPaths.Used(pool, number)], cancellationToken);
            var ready = PoolJson.TryRead<MemberReady>(current.GetValueOrDefault(PoolPaths.Ready(pool, number))?.Value);
            if (ready is null || current.ContainsKey(PoolPaths.Used(pool, number)) || !(acceptUnmasked || ready.Masked))
            {
                await store.DeleteAsync(PoolPaths.Lease(pool, number), cancellationToken);
                continue;
            }

            return new ClaimResult(new ClaimedMember(pool, number, ready, expiresAt), state);
        }

        return new ClaimResult(null, await store.ReadAsync(pool, cancellationToken));
    }

    /// <summary>
    /// Gives back what <paramref name="holder"/> leases in <paramref name="pool"/> (one member, or all
    /// it holds when <paramref name="member"/> is null): marks each used, then deletes the lease, so
    /// no reader ever sees the member free with data a tester may have written. A member leased by
    /// someone else is refused. Releasing what is already released succeeds.
    /// </summary>
    public async Task<LeaseChange> ReleaseAsync(string pool, string holder, int? member, CancellationToken cancellationToken)
    {
        var state = await store.ReadAsync(pool, cancellationToken);
        var targets = member is { } n ? [n] : state.Members.Where(m => m.Lease?.Holder == holder).Select(m => m.Number).ToList();
        var messages = new List<string>();
        foreach (var number in targets)
        {
            var current = state.Member(number);
            if (current?.Lease is null)
            {
                messages.Add($"member {number} of {pool} is not leased: nothing to release");
                continue;
            }

            if (current.Lease.Holder != holder)
            {
                return new LeaseChange(false, $"member {number} of {pool} is leased by {current.Lease.Holder} since {current.Lease.Since}, not by {holder}: not released");
            }

            await store.PutAsync(PoolPaths.Used(pool, number), PoolJson.Write(new MemberUsed(holder, PoolJson.Timestamp(_clock.GetUtcNow()))), cancellationToken);
            await store.DeleteAsync(PoolPaths.Lease(pool, number), cancellationToken);
            messages.Add($"released member {number} of {pool}; it is marked used and the next refill re-clones it");
        }

        return new LeaseChange(true, messages.Count == 0 ? $"{holder} holds no member of {pool}: nothing to release" : string.Join(Environment.NewLine, messages));
    }

    /// <summary>
    /// Takes a member for its refill with the same atomic lease a claim uses, so a claim that slipped
    /// in after the pool read its state makes the refill fail instead of re-cloning a leased member.
    /// A refill lease left by an earlier, unfinished refill is taken over.
    /// </summary>
    public async Task<LeaseChange> LeaseForRefillAsync(string pool, int member, CancellationToken cancellationToken)
    {
        var holder = PoolPaths.RefillHolder(pool);
        if (await store.TryCreateAsync(PoolPaths.Lease(pool, member), PoolJson.Write(new MemberLease(holder, PoolJson.Timestamp(_clock.GetUtcNow()))), cancellationToken))
        {
            return new LeaseChange(true, $"member {member} of {pool} leased for its refill");
        }

        var lease = (await store.ReadAsync(pool, cancellationToken)).Member(member)?.Lease;
        return lease?.Holder == holder
            ? new LeaseChange(true, $"member {member} of {pool} is still leased for an earlier refill since {lease.Since}; continuing it")
            : new LeaseChange(false, $"member {member} of {pool} is leased by {lease?.Holder ?? "someone"} since {lease?.Since ?? "?"}: the refill leaves it alone; run `pulumi up` again after it is released");
    }

    /// <summary>After a refilled member's hooks passed (its ready record is written): clears its used mark, then the refill's lease.</summary>
    public async Task<LeaseChange> FinishRefillAsync(string pool, int member, CancellationToken cancellationToken)
    {
        var lease = (await store.ReadAsync(pool, cancellationToken)).Member(member)?.Lease;
        if (lease is not null && lease.Holder != PoolPaths.RefillHolder(pool))
        {
            return new LeaseChange(false, $"member {member} of {pool} is leased by {lease.Holder}, not by its refill: left as it is");
        }

        await store.DeleteAsync(PoolPaths.Used(pool, member), cancellationToken);
        await store.DeleteAsync(PoolPaths.Lease(pool, member), cancellationToken);
        return new LeaseChange(true, $"member {member} of {pool} refilled and free");
    }
}
