using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using MySqlConnector;
using Npgsql;
using QaDatabases.Capacity;
using QaDatabases.Masking;

namespace QaDatabases.Cli.Commands;

/// <summary>
/// The clone as <c>qa-db masking</c> reaches it: one ADO.NET connection (Npgsql or MySqlConnector)
/// that runs the SQL Core decided. Nothing here decides what to run; it reads rows and executes
/// statements, and turns driver failures into the CLI's exit codes (<see cref="DatabaseFault"/>).
/// </summary>
internal sealed class MaskingDatabase : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly DbDataSource? _dataSource;

    private MaskingDatabase(EngineFamily engine, DbConnection connection, DbDataSource? dataSource, string endpoint)
    {
        Engine = engine;
        _connection = connection;
        _dataSource = dataSource;
        Endpoint = endpoint;
    }

    public EngineFamily Engine { get; }

    /// <summary>host:port, for messages (never the connection string: it holds the password).</summary>
    public string Endpoint { get; }

    /// <summary>Opens the connection named by <paramref name="variable"/>; a failure to connect is a <see cref="DatabaseFault"/>.</summary>
    public static async Task<MaskingDatabase> OpenAsync(EngineFamily engine, string variable)
    {
        var connectionString = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new UsageException(
                $"environment variable {variable} is not set: it holds the clone's {DriverName(engine)} connection string (never passed on the command line)");
        }

        DbConnection connection;
        DbDataSource? dataSource = null;
        string endpoint;
        try
        {
            if (engine == EngineFamily.PostgreSql)
            {
                // Only basic built-in types are ever read (samples are cast to text), so the slim
                // builder (no JSON, range, network... type plugins) without loading the database's own
                // types: both are a good part of a short command's startup. TLS stays available.
                var builder = new NpgsqlSlimDataSourceBuilder(connectionString);
                builder.EnableTransportSecurity();
                builder.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
                endpoint = $"{builder.ConnectionStringBuilder.Host}:{builder.ConnectionStringBuilder.Port.ToString(CultureInfo.InvariantCulture)}";
                dataSource = builder.Build();
                connection = dataSource.CreateConnection();
            }
            else
            {
                var builder = new MySqlConnectionStringBuilder(connectionString);
                endpoint = $"{builder.Server}:{builder.Port.ToString(CultureInfo.InvariantCulture)}";
                connection = new MySqlConnection(builder.ConnectionString);
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new UsageException($"environment variable {variable} is not a valid {DriverName(engine)} connection string ({e.Message})");
        }

        try
        {
            await connection.OpenAsync();
        }
        catch (Exception e)
        {
            await connection.DisposeAsync();
            if (dataSource is not null)
            {
                await dataSource.DisposeAsync();
            }

            throw DatabaseFault.From(e, endpoint, "connecting") ?? throw new InvalidOperationException($"connecting to {endpoint} failed", e);
        }

        return new MaskingDatabase(engine, connection, dataSource, endpoint);
    }

    public async Task<DatabaseCatalog> ReadCatalogAsync()
    {
        var queries = CatalogQueries.For(Engine);
        var defaultSchema = await ScalarAsync(new SqlStatement(queries.DefaultSchema));
        return queries.Build(
            defaultSchema,
            await RowsAsync(queries.Columns),
            await RowsAsync(queries.PrimaryKeys),
            await RowsAsync(queries.UniqueColumns),
            await RowsAsync(queries.ForeignKeys));
    }

    /// <summary>The ledger's rows, or none when it does not exist yet (read-only: never creates it).</summary>
    public async Task<IReadOnlyList<LedgerEntry>> ReadLedgerAsync()
    {
        var dialect = SqlDialect.For(Engine);
        if (!Convert.ToBoolean(await ScalarAsync(new SqlStatement(dialect.LedgerExists)), CultureInfo.InvariantCulture))
        {
            return [];
        }

        return (await RowsAsync(dialect.LedgerRead))
            .Select(r => new LedgerEntry(Text(r[0]), Text(r[1]), Text(r[2]), Text(r[3]), Text(r[4])))
            .ToList();
    }

    /// <summary>Creates the ledger when missing: DDL, run before any table's transaction (MySQL commits DDL implicitly).</summary>
    public async Task EnsureLedgerAsync()
    {
        foreach (var statement in SqlDialect.For(Engine).LedgerSetup)
        {
            await ExecuteAsync(new SqlStatement(statement), null);
        }
    }

    public async Task<DbTransaction> BeginAsync() => await _connection.BeginTransactionAsync();

    public async Task ExecuteAsync(SqlStatement statement, DbTransaction? transaction)
    {
        await using var command = Command(statement, transaction);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The single row of counts a verification returns.</summary>
    private async Task<IReadOnlyList<long>> CountsAsync(SqlStatement statement, DbTransaction? transaction)
    {
        await using var command = Command(statement, transaction);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            throw new InvalidOperationException("a verification query returned no row");
        }

        return Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>What <paramref name="verification"/> finds wrong: nothing when its one count is 0, else each failing check with its count.</summary>
    public async Task<IReadOnlyList<string>> VerifyAsync(Verification verification, DbTransaction? transaction)
    {
        if ((await CountsAsync(verification.Any, transaction))[0] == 0)
        {
            return [];
        }

        var counts = await CountsAsync(verification.Breakdown, transaction);
        return verification.Checks.Zip(counts).Where(c => c.Second > 0).Select(c => c.First.Message(c.Second)).ToList();
    }

    /// <summary>Up to <paramref name="limit"/> values of each column (as text), for <c>init</c>'s value heuristics.</summary>
    public async Task<Dictionary<string, List<string?>>> SampleAsync(CatalogTable table, IReadOnlyList<CatalogColumn> columns, int limit)
    {
        var dialect = SqlDialect.For(Engine);
        var select = string.Join(", ", columns.Select(c => Engine == EngineFamily.PostgreSql ? $"{dialect.Quote(c.Name)}::text" : dialect.Quote(c.Name)));
        var rows = await RowsAsync($"SELECT {select} FROM {dialect.Table(table)} LIMIT {limit.ToString(CultureInfo.InvariantCulture)}");
        return columns.Select((c, i) => (c.Name, Values: rows.Select(r => r[i] is null or DBNull ? null : Convert.ToString(r[i], CultureInfo.InvariantCulture)).ToList()))
            .ToDictionary(x => x.Name, x => x.Values, StringComparer.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    private DbCommand Command(SqlStatement statement, DbTransaction? transaction)
    {
        var command = _connection.CreateCommand();
        command.CommandText = statement.Text;
        command.Transaction = transaction;

        // Masking a big table takes as long as its UPDATE takes; the hook's own timeout bounds the run.
        command.CommandTimeout = 0;
        foreach (var parameter in statement.Parameters)
        {
            var p = command.CreateParameter();
            if (parameter.Name is not null)
            {
                p.ParameterName = parameter.Name;
            }

            p.Value = parameter.Value ?? DBNull.Value;
            command.Parameters.Add(p);
        }

        return command;
    }

    private async Task<object?> ScalarAsync(SqlStatement statement)
    {
        await using var command = Command(statement, null);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    private async Task<List<object?[]>> RowsAsync(string sql)
    {
        await using var command = Command(new SqlStatement(sql), null);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }

        return rows;
    }

    private static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    private static string DriverName(EngineFamily engine) => engine == EngineFamily.PostgreSql ? "Npgsql" : "MySqlConnector";
}

/// <summary>
/// A database failure as the CLI reports it: one line, no stack trace, and the exit code that says
/// whose fault it is: <see cref="ExitCodes.Unavailable"/> when the database could not be reached
/// (refused, unreachable, timed out, dropped: running later may succeed), <see cref="ExitCodes.Rejected"/>
/// when it answered no (a refused login, an unknown database, a statement it would not run).
/// </summary>
internal sealed class DatabaseFault(int exitCode, string message, Exception inner) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>The fault <paramref name="e"/> is, while <paramref name="doing"/> against <paramref name="endpoint"/>; null when it is no database failure.</summary>
    public static DatabaseFault? From(Exception e, string endpoint, string doing)
    {
        var root = e is AggregateException { InnerException: { } inner } ? inner : e;
        switch (root)
        {
            case PostgresException pg when pg.SqlState.StartsWith("28", StringComparison.Ordinal) || pg.SqlState == "3D000":
                return new DatabaseFault(ExitCodes.Rejected, $"the database at {endpoint} refused the login ({pg.SqlState}: {pg.MessageText}); check the user, password and database of the connection string", e);
            case PostgresException pg when pg.SqlState is "57P03" or "53300" or "57P01" or "57P02":
                return Unreachable(endpoint, doing, $"{pg.SqlState}: {pg.MessageText}", e);
            case PostgresException pg:
                return new DatabaseFault(ExitCodes.Rejected, $"{doing}: the database at {endpoint} refused: {pg.SqlState}: {pg.MessageText}", e);
            case MySqlException my when my.ErrorCode is MySqlErrorCode.AccessDenied or MySqlErrorCode.DatabaseAccessDenied or MySqlErrorCode.UnknownDatabase:
                return new DatabaseFault(ExitCodes.Rejected, $"the database at {endpoint} refused the login ({(int)my.ErrorCode}: {my.Message}); check the user, password and database of the connection string", e);
            case MySqlException my when my.ErrorCode is MySqlErrorCode.UnableToConnectToHost || my.IsTransient || my.ErrorCode == MySqlErrorCode.CommandTimeoutExpired:
                return Unreachable(endpoint, doing, my.Message, e);
            case MySqlException my:
                return new DatabaseFault(ExitCodes.Rejected, $"{doing}: the database at {endpoint} refused: {(int)my.ErrorCode}: {my.Message}", e);
            case NpgsqlException npgsql:
                return Unreachable(endpoint, doing, Innermost(npgsql), e);
            case SocketException or TimeoutException or IOException:
                return Unreachable(endpoint, doing, root.Message, e);
            default:
                return null;
        }
    }

    private static DatabaseFault Unreachable(string endpoint, string doing, string why, Exception e) => new(
        ExitCodes.Unavailable,
        $"cannot reach the database at {endpoint} while {doing} ({why}); check that the clone is available and that this machine can reach it (connectionRoute, security group, tunnel), then run again",
        e);

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }
}
