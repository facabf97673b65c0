using QaDatabases.Golden;

namespace QaDatabases.Aws;

/// <summary>
/// A golden's ready record in SSM: read, switched and withdrawn. The switch is one
/// <c>PutParameter</c> with <c>Overwrite=true</c>, which SSM applies atomically: a reader sees the old
/// record or the new one, never none and never a mix, so consumers always have a golden to clone.
/// Only the golden stack's own <c>pulumi up</c>/<c>destroy</c> writes it, and Pulumi runs one update of
/// a stack at a time, so the check before a write (never switch to an older generation, withdraw only
/// the cluster named) has no second writer to race with.
/// </summary>
public sealed class GoldenRecordStore(SsmPoolStore ssm)
{
    /// <summary>The record, or null when there is none.</summary>
    /// <exception cref="GoldenRejectedException">The parameter holds something that is not a complete record.</exception>
    public Task<GoldenRecord?> ReadAsync(string golden, CancellationToken cancellationToken) => ssm.ReadRecordAsync(golden, cancellationToken);

    /// <summary>
    /// Makes <paramref name="record"/> the golden's record, unless the record already names a newer
    /// generation (a stale or re-run update must not switch consumers back to an older golden).
    /// </summary>
    public async Task<LeaseChange> PublishAsync(string golden, GoldenRecord record, CancellationToken cancellationToken)
    {
        GoldenRecord? current;
        try
        {
            current = await ReadAsync(golden, cancellationToken);
        }
        catch (GoldenRejectedException)
        {
            current = null; // an unreadable record is replaced by a complete one
        }

        if (current is not null && current.Generation > record.Generation)
        {
            return new LeaseChange(false,
                $"golden stack {golden} records generation {current.Generation} ({current.Cluster}); generation {record.Generation} ({record.Cluster}) is older: the record is never switched back");
        }

        if (current == record)
        {
            return new LeaseChange(true, $"golden stack {golden} already records generation {record.Generation} ({record.Cluster})");
        }

        await ssm.PutAsync(GoldenPaths.Ready(golden), record.ToJson(), cancellationToken);
        return new LeaseChange(true, current is null
            ? $"golden stack {golden} recorded: generation {record.Generation} ({record.Cluster}), data from {record.DataTime}"
            : $"golden stack {golden} switched from generation {current.Generation} ({current.Cluster}) to {record.Generation} ({record.Cluster}), data from {record.DataTime}");
    }

    /// <summary>Deletes the record while it names <paramref name="cluster"/>; a record of another cluster is left alone.</summary>
    public async Task<LeaseChange> WithdrawAsync(string golden, string cluster, CancellationToken cancellationToken)
    {
        GoldenRecord? current;
        try
        {
            current = await ReadAsync(golden, cancellationToken);
        }
        catch (GoldenRejectedException)
        {
            current = null;
        }

        if (current is null || !string.Equals(current.Cluster, cluster, StringComparison.OrdinalIgnoreCase))
        {
            return new LeaseChange(true, current is null
                ? $"golden stack {golden} has no readable record: nothing to withdraw"
                : $"golden stack {golden} records {current.Cluster}, not {cluster}: left as it is");
        }

        await ssm.DeleteAsync(GoldenPaths.Ready(golden), cancellationToken);
        return new LeaseChange(true, $"golden stack {golden}'s record of {cluster} withdrawn");
    }
}
