using QaDatabases.Faults;
using QaDatabases.Golden;

namespace QaDatabases.Aws;

/// <summary>
/// A golden's ready record in SSM: read, switched and withdrawn. The switch is one
/// <c>PutParameter</c> with <c>Overwrite=true</c>, which SSM applies atomically: a reader sees the old
/// record or the new one, never none and never a mix, so consumers always have a golden to clone.
/// Only the golden stack's own <c>pulumi up</c>/<c>destroy</c> writes it, and Pulumi runs one update of
/// a stack at a time, so the check before a write (never switch to an older generation, withdraw only
/// the cluster named) has no second writer to race with.
/// <para>
/// Every call goes through <see cref="SsmPoolStore"/>'s client, with its retries and time bound, so an
/// expected AWS fault surfaces as an <see cref="AwsFaultException"/>. Publish and withdraw each read,
/// then write at most once, so neither can stop between two writes: a fault before the write changed
/// nothing, and a fault after which the write may have landed (its answer lost) says so
/// (<see cref="AwsFaultException.LeftBehind"/>); <b>the same command run again finishes it</b>.
/// </para>
/// </summary>
public sealed class GoldenRecordStore(SsmPoolStore ssm)
{
    /// <summary>The record, or null when there is none.</summary>
    /// <exception cref="GoldenRejectedException">The parameter holds something that is not a complete record.</exception>
    public Task<GoldenRecord?> ReadAsync(string golden, CancellationToken cancellationToken) => ssm.ReadRecordAsync(golden, cancellationToken);

    /// <summary>
    /// Makes <paramref name="record"/> the golden's record, unless the record already names a newer
    /// generation (a stale or re-run update must not switch consumers back to an older golden).
    /// <para>
    /// Nothing half-done: one write. When AWS fails after it may have landed, the record may already
    /// name the new golden (whose gate passed, so consumers may clone it), and <b>the same publish run
    /// again finishes it</b>: it finds the record it wrote and succeeds without writing again.
    /// </para>
    /// </summary>
    public async Task<LeaseChange> PublishAsync(string golden, GoldenRecord record, CancellationToken cancellationToken)
    {
        var current = await ReadReplaceableAsync(golden, cancellationToken);
        if (current is not null && current.Generation > record.Generation)
        {
            return new LeaseChange(false,
                $"golden stack {golden} records generation {current.Generation} ({current.Cluster}); generation {record.Generation} ({record.Cluster}) is older: the record is never switched back");
        }

        if (current == record)
        {
            return new LeaseChange(true, $"golden stack {golden} already records generation {record.Generation} ({record.Cluster})");
        }

        await WriteAsync(
            () => ssm.PutAsync(GoldenPaths.Ready(golden), record.ToJson(), cancellationToken),
            $"the record of golden stack {golden} may already name generation {record.Generation} ({record.Cluster}); the same publish run again finishes it");
        return new LeaseChange(true, current is null
            ? $"golden stack {golden} recorded: generation {record.Generation} ({record.Cluster}), data from {record.DataTime}"
            : $"golden stack {golden} switched from generation {current.Generation} ({current.Cluster}) to {record.Generation} ({record.Cluster}), data from {record.DataTime}");
    }

    /// <summary>
    /// Deletes the record while it names <paramref name="cluster"/>; a record of another cluster is left alone.
    /// <para>
    /// Nothing half-done: one write. When AWS fails after the delete may have landed, the record may
    /// already be gone, and <b>the same withdraw run again finishes it</b> (it finds nothing to withdraw).
    /// </para>
    /// </summary>
    public async Task<LeaseChange> WithdrawAsync(string golden, string cluster, CancellationToken cancellationToken)
    {
        var current = await ReadReplaceableAsync(golden, cancellationToken);
        if (current is null || !string.Equals(current.Cluster, cluster, StringComparison.OrdinalIgnoreCase))
        {
            return new LeaseChange(true, current is null
                ? $"golden stack {golden} has no readable record: nothing to withdraw"
                : $"golden stack {golden} records {current.Cluster}, not {cluster}: left as it is");
        }

        await WriteAsync(
            () => ssm.DeleteAsync(GoldenPaths.Ready(golden), cancellationToken),
            $"the record of golden stack {golden} may already be withdrawn; the same withdraw run again finishes it");
        return new LeaseChange(true, $"golden stack {golden}'s record of {cluster} withdrawn");
    }

    /// <summary>The record before a write; an unreadable one counts as none, and is replaced (publish) or left (withdraw).</summary>
    private async Task<GoldenRecord?> ReadReplaceableAsync(string golden, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAsync(golden, cancellationToken);
        }
        catch (GoldenRejectedException)
        {
            return null;
        }
    }

    /// <summary>The command's one write; a fault after which it may have landed says what it may have left.</summary>
    private static async Task WriteAsync(Func<Task> write, string leftBehind)
    {
        try
        {
            await write();
        }
        catch (AwsFaultException fault) when (AwsFaults.MayHaveLanded(fault.Fault.Kind))
        {
            throw fault.WithLeftBehind(leftBehind);
        }
    }
}
