using QaDatabases.Faults;
using QaDatabases.Pool;

namespace QaDatabases.Aws;

/// <summary>The outcome of a claim: the member taken, or the pool's state when none was free.</summary>
public sealed record ClaimResult(ClaimedMember? Claimed, PoolState State);

/// <summary>The outcome of a release or of a refill's bookkeeping.</summary>
public sealed record LeaseChange(bool Succeeded, string Message);

/// <summary>
/// Claim, release and the refill's lease, against SSM. Which members to try and in which order is
/// decided by <see cref="PoolDecisions"/>; who gets a member is decided by AWS alone, through the
/// create-if-absent lease. Each change of more than one write says what happens when AWS fails
/// between them (an <see cref="AwsFaultException"/>, whose <see cref="AwsFaultException.LeftBehind"/>
/// names what is left): it is undone, or the same command run again finishes it. Never is a member
/// left free after a claimer may have written to it.
/// </summary>
public sealed class PoolLeases(IPoolStore store, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>
    /// Takes one free, ready member of <paramref name="pool"/> for <paramref name="holder"/> (the
    /// claiming stack's fully qualified name): the lease, then a re-check of the member under it.
    /// A member this holder already leases is returned again, so a claim re-run after an interrupted
    /// <c>pulumi up</c> does not take a second member. A member published unmasked is taken only
    /// with <paramref name="acceptUnmasked"/>.
    /// <para>
    /// When AWS fails after the lease may have been written, the claim <b>undoes</b> it: it deletes
    /// its own lease before failing, so a failed claim holds nothing. If AWS refuses that too, the
    /// lease (which names the holder) stays, the fault says so, and <b>the same claim run again
    /// finishes it</b>: it re-checks the member it holds and returns it, or gives it back when the
    /// member is no longer usable.
    /// </para>
    /// </summary>
    public async Task<ClaimResult> ClaimAsync(
        string pool, string holder, CancellationToken cancellationToken, Expiry.ExpiryPolicy? expiry = null, bool acceptUnmasked = false)
    {
        var state = await store.ReadAsync(pool, cancellationToken);
        foreach (var mine in state.Members.Where(m => m.Lease?.Holder == holder))
        {
            // Read while our lease existed, so nothing else changed the member: this is the re-check.
            if (IsUsable(mine.Ready, mine.HasUsed))
            {
                return new ClaimResult(new ClaimedMember(pool, mine.Number, mine.Ready!, mine.Lease!.ExpiresAt), state);
            }

            // Our earlier claim stopped before its re-check, or our release before deleting the lease,
            // and the member is used or gone: the lease is ours to give back.
            await store.DeleteAsync(PoolPaths.Lease(pool, mine.Number), cancellationToken);
        }

        var now = _clock.GetUtcNow();
        var expiresAt = expiry is null ? null : PoolJson.Timestamp(expiry.ExpiresAt(now));
        var lease = PoolJson.Write(new MemberLease(holder, PoolJson.Timestamp(now), expiresAt));
        foreach (var number in PoolDecisions.ClaimOrder(state, holder, acceptUnmasked))
        {
            if (await LeaseAndRecheckAsync(pool, number, holder, lease, acceptUnmasked, cancellationToken) is { } ready)
            {
                return new ClaimResult(new ClaimedMember(pool, number, ready, expiresAt), state);
            }
        }

        return new ClaimResult(null, await store.ReadAsync(pool, cancellationToken));
    }

    /// <summary>
    /// Gives back what <paramref name="holder"/> leases in <paramref name="pool"/> (one member, or all
    /// it holds when <paramref name="member"/> is null): marks each used, then deletes the lease, so
    /// no reader ever sees the member free with data a tester may have written. A member leased by
    /// someone else is refused. Releasing what is already released succeeds.
    /// <para>
    /// When AWS fails between the used mark and the lease delete, the member stays leased (and marked
    /// used): no claim or refill takes it, and <b>the same release run again finishes it</b>, as
    /// <c>pulumi destroy</c> run again does.
    /// </para>
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

            await Finishable(
                async () =>
                {
                    await store.PutAsync(PoolPaths.Used(pool, number), PoolJson.Write(new MemberUsed(holder, PoolJson.Timestamp(_clock.GetUtcNow()))), cancellationToken);
                    await store.DeleteAsync(PoolPaths.Lease(pool, number), cancellationToken);
                },
                $"member {number} of {pool} is still leased by {holder} (perhaps already marked used), so nothing takes it; the same release run again finishes it");
            messages.Add($"released member {number} of {pool}; it is marked used and the next refill re-clones it");
        }

        return new LeaseChange(true, messages.Count == 0 ? $"{holder} holds no member of {pool}: nothing to release" : string.Join(Environment.NewLine, messages));
    }

    /// <summary>
    /// Takes a member for its refill with the same atomic lease a claim uses, so a claim that slipped
    /// in after the pool read its state makes the refill fail instead of re-cloning a leased member.
    /// A refill lease left by an earlier, unfinished refill is taken over. One write: when AWS fails
    /// after it may have landed, <b>the same refill-lease run again finishes it</b> (it takes over
    /// the refill's own lease).
    /// </summary>
    public async Task<LeaseChange> LeaseForRefillAsync(string pool, int member, CancellationToken cancellationToken)
    {
        var holder = PoolPaths.RefillHolder(pool);
        var created = await Finishable(
            () => store.TryCreateAsync(PoolPaths.Lease(pool, member), PoolJson.Write(new MemberLease(holder, PoolJson.Timestamp(_clock.GetUtcNow()))), cancellationToken),
            $"member {member} of {pool} may be leased for its refill, so no claim takes it; the same refill-lease run again takes that lease over");
        if (created)
        {
            return new LeaseChange(true, $"member {member} of {pool} leased for its refill");
        }

        var lease = (await store.ReadAsync(pool, cancellationToken)).Member(member)?.Lease;
        return lease?.Holder == holder
            ? new LeaseChange(true, $"member {member} of {pool} is still leased for an earlier refill since {lease.Since}; continuing it")
            : new LeaseChange(false, $"member {member} of {pool} is leased by {lease?.Holder ?? "someone"} since {lease?.Since ?? "?"}: the refill leaves it alone; run `pulumi up` again after it is released");
    }

    /// <summary>
    /// After a refilled member's hooks passed (its ready record is written): clears its used mark, then
    /// the refill's lease. When AWS fails between the two, the member stays under the refill's lease,
    /// so no claim takes it half-way, and <b>the same refill-done run again finishes it</b> (a pool
    /// <c>pulumi up</c> instead re-clones a member whose refill did not finish).
    /// </summary>
    public async Task<LeaseChange> FinishRefillAsync(string pool, int member, CancellationToken cancellationToken)
    {
        var lease = (await store.ReadAsync(pool, cancellationToken)).Member(member)?.Lease;
        if (lease is not null && lease.Holder != PoolPaths.RefillHolder(pool))
        {
            return new LeaseChange(false, $"member {member} of {pool} is leased by {lease.Holder}, not by its refill: left as it is");
        }

        await Finishable(
            async () =>
            {
                await store.DeleteAsync(PoolPaths.Used(pool, member), cancellationToken);
                await store.DeleteAsync(PoolPaths.Lease(pool, member), cancellationToken);
            },
            $"member {member} of {pool} is still under its refill's lease, so no claim takes it yet; the same refill-done run again frees it");
        return new LeaseChange(true, $"member {member} of {pool} refilled and free");
    }

    /// <summary>A member a claim may hand out: its ready record reads, and no release marked it used.</summary>
    private static bool IsUsable(MemberReady? ready, bool used) => ready is not null && !used;

    /// <summary>
    /// Leases the member, then re-checks it under the lease: the ready record it hands out is the one
    /// SSM holds now, and a member that was claimed, used and released, or re-cloned (perhaps now
    /// unmasked), between the claimer's state read and its lease is caught here. Null: the member is
    /// not ours to use (someone leased it first, or the re-check found it used, without a ready record
    /// or unmasked against <paramref name="acceptUnmasked"/>, and the lease was given back).
    /// </summary>
    private async Task<MemberReady?> LeaseAndRecheckAsync(string pool, int number, string holder, string lease, bool acceptUnmasked, CancellationToken cancellationToken)
    {
        var leasePath = PoolPaths.Lease(pool, number);
        bool created;
        try
        {
            created = await store.TryCreateAsync(leasePath, lease, cancellationToken);
        }
        catch (AwsFaultException fault)
        {
            // The create may have landed before its answer was lost: give back the lease only if it is ours.
            throw await GiveBackAsync(fault, pool, number, holder, lease, knownOurs: false, cancellationToken);
        }

        if (!created)
        {
            return null; // another claimer, or the refill, took it first
        }

        try
        {
            // Under our lease nothing else changes the member, so this read is stable.
            var current = await store.GetAsync([PoolPaths.Ready(pool, number), PoolPaths.Used(pool, number)], cancellationToken);
            var ready = PoolJson.TryRead<MemberReady>(current.GetValueOrDefault(PoolPaths.Ready(pool, number))?.Value);
            if (IsUsable(ready, current.ContainsKey(PoolPaths.Used(pool, number))) && (acceptUnmasked || ready!.Masked))
            {
                return ready;
            }

            await store.DeleteAsync(leasePath, cancellationToken);
            return null;
        }
        catch (AwsFaultException fault)
        {
            throw await GiveBackAsync(fault, pool, number, holder, lease, knownOurs: true, cancellationToken);
        }
    }

    /// <summary>
    /// Undoes a claim's lease after a fault: deletes it when it is ours (the value this claim wrote;
    /// only the holder ever deletes a claimer's lease, so between the read and the delete it stays ours).
    /// Returns the fault to throw, saying what is left when AWS refused the undo too.
    /// </summary>
    private async Task<AwsFaultException> GiveBackAsync(
        AwsFaultException fault, string pool, int number, string holder, string lease, bool knownOurs, CancellationToken cancellationToken)
    {
        var leasePath = PoolPaths.Lease(pool, number);
        try
        {
            if (knownOurs || (await store.GetAsync([leasePath], cancellationToken)).GetValueOrDefault(leasePath)?.Value == lease)
            {
                await store.DeleteAsync(leasePath, cancellationToken);
            }

            return fault;
        }
        catch (AwsFaultException)
        {
            return fault.WithLeftBehind(
                $"member {number} of {pool} may still be leased by {holder}: the same claim run again finishes it, or `qa-db pool release --pool {pool} --stack {holder}` gives it back");
        }
    }

    /// <summary>Runs a change that the same command finishes when run again; a fault says what is left.</summary>
    private static async Task Finishable(Func<Task> change, string leftBehind)
    {
        try
        {
            await change();
        }
        catch (AwsFaultException fault)
        {
            throw fault.WithLeftBehind(leftBehind);
        }
    }

    private static async Task<T> Finishable<T>(Func<Task<T>> change, string leftBehind)
    {
        T result = default!;
        await Finishable(async () => { result = await change(); }, leftBehind);
        return result;
    }
}
