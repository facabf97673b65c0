using Npgsql;

namespace QaDatabases.Cli.Commands;

/// <summary>
/// Proves that writes to the clone do not reach the source: writes a fresh marker row in the clone,
/// reads it back there, then looks for it in the source. Exit 0: isolated; 1: the marker reached the
/// source (the two connections lead to one database). The marker is removed from the clone afterwards;
/// the source is only read.
/// </summary>
internal static class IsolationCheckCommand
{
    public const string MarkerTable = "qa_db_isolation_marker";

    public static async Task<int> RunAsync(string sourceVariable, string cloneVariable, TextWriter output)
    {
        var source = Environment.GetEnvironmentVariable(sourceVariable)
            ?? throw new UsageException($"environment variable {sourceVariable} (the source's Npgsql connection string) is not set");
        var clone = Environment.GetEnvironmentVariable(cloneVariable)
            ?? throw new UsageException($"environment variable {cloneVariable} (the clone's Npgsql connection string) is not set");

        var sourceTarget = new NpgsqlConnectionStringBuilder(source);
        var cloneTarget = new NpgsqlConnectionStringBuilder(clone);
        if (string.Equals(sourceTarget.Host, cloneTarget.Host, StringComparison.OrdinalIgnoreCase)
            && sourceTarget.Port == cloneTarget.Port && sourceTarget.Database == cloneTarget.Database)
        {
            throw new UsageException("the source and clone connection strings name the same host, port and database; the check would prove nothing");
        }

        var marker = Guid.NewGuid();
        await using var cloneConnection = new NpgsqlConnection(clone);
        await cloneConnection.OpenAsync();
        await ExecuteAsync(cloneConnection, $"CREATE TABLE IF NOT EXISTS {MarkerTable} (marker uuid PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now())");
        await ExecuteAsync(cloneConnection, $"INSERT INTO {MarkerTable} (marker) VALUES (@marker)", marker);
        try
        {
            if (!await HasMarkerAsync(cloneConnection, marker))
            {
                await output.WriteLineAsync("qa-db: the marker written to the clone cannot be read back from it.");
                return 2;
            }

            await using var sourceConnection = new NpgsqlConnection(source);
            await sourceConnection.OpenAsync();
            if (await HasMarkerAsync(sourceConnection, marker))
            {
                await output.WriteLineAsync($"NOT ISOLATED: marker {marker} written to the clone is visible in the source. Stop using this clone.");
                return 1;
            }

            await output.WriteLineAsync($"isolated: marker {marker} written to the clone is absent from the source.");
            return 0;
        }
        finally
        {
            await ExecuteAsync(cloneConnection, $"DELETE FROM {MarkerTable} WHERE marker = @marker", marker);
        }
    }

    private static async Task<bool> HasMarkerAsync(NpgsqlConnection connection, Guid marker)
    {
        // The source may never have had the table: a missing table means no marker, not an error.
        await using var exists = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection);
        exists.Parameters.AddWithValue("table", MarkerTable);
        if (await exists.ExecuteScalarAsync() is not true)
        {
            return false;
        }

        await using var find = new NpgsqlCommand($"SELECT count(*) FROM {MarkerTable} WHERE marker = @marker", connection);
        find.Parameters.AddWithValue("marker", marker);
        return (long)(await find.ExecuteScalarAsync())! > 0;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, Guid? marker = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (marker is { } m)
        {
            command.Parameters.AddWithValue("marker", m);
        }

        await command.ExecuteNonQueryAsync();
    }
}
