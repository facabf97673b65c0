namespace QaDatabases.Pool;

/// <summary>
/// A pool's state with the writes the lease commands make (SSM in AWS). An interface so tests can put
/// a store between the commands and SSM that changes a member at an exact moment, such as between a
/// claim's state read and its lease.
/// </summary>
public interface IPoolStore : IPoolStateSource
{
    /// <summary>The named parameters that exist, by name.</summary>
    Task<IReadOnlyDictionary<string, ObservedParameter>> GetAsync(IReadOnlyList<string> names, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the parameter only if it does not exist, atomically. True: this call created it (or an
    /// earlier attempt of the same call did, whose answer was lost: the parameter holds exactly <paramref name="value"/>).
    /// </summary>
    Task<bool> TryCreateAsync(string name, string value, CancellationToken cancellationToken);

    /// <summary>Creates or replaces a parameter whose content no one competes for.</summary>
    Task PutAsync(string name, string value, CancellationToken cancellationToken);

    /// <summary>Deletes a parameter; false when it was already gone.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);
}
