namespace QaDatabases.Pool;

/// <summary>Reads a pool's state from wherever it lives (SSM in AWS; a fake in tests). Read-only.</summary>
public interface IPoolStateSource
{
    Task<PoolState> ReadAsync(string pool, CancellationToken cancellationToken);

    /// <summary>The value of one parameter (a stack's published cluster identifier, say), or null when it does not exist.</summary>
    Task<string?> ReadParameterAsync(string name, CancellationToken cancellationToken);
}
