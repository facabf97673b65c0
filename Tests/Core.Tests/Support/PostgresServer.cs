using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace QaDatabases.Tests.Support;

/// <summary>
/// A real, throwaway PostgreSQL server for the tests: initdb in a temp directory, listening on
/// 127.0.0.1 on a free port with password authentication, stopped and deleted afterwards. It stands
/// in for the Aurora PostgreSQL endpoint. Running as root (CI containers), the server runs as the
/// 'postgres' user, since PostgreSQL refuses to run as root. If the binaries are missing the tests
/// fail with the fix, never skip: `bash .ci/run` installs them.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string User = "qa_admin";
    public const string Password = "local-test-password";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "qa-db-pg-" + Guid.NewGuid().ToString("N")[..8]);
    private string _bin = "";

    public int Port { get; private set; }

    public const string Host = "127.0.0.1";

    public async Task InitializeAsync()
    {
        _bin = FindBinaries();
        Port = FreePort();
        Directory.CreateDirectory(_directory);
        var data = Path.Combine(_directory, "data");
        var passwordFile = Path.Combine(_directory, "pw");
        await File.WriteAllTextAsync(passwordFile, Password);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            Processes.Run("chown", ["-R", "postgres:postgres", _directory]);
        }

        RunPostgres(asRoot, "initdb", ["-D", data, "-U", User, "--pwfile", passwordFile, "-A", "scram-sha-256", "--no-sync", "-E", "UTF8", "--locale", "C"]);
        RunPostgres(asRoot, "pg_ctl", ["-D", data, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -k {_directory} -c fsync=off", "start"]);
    }

    public Task DisposeAsync()
    {
        try
        {
            RunPostgres(Environment.UserName == "root", "pg_ctl", ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = Host, Port = Port, Username = User, Password = Password, Database = database, Pooling = false }.ConnectionString;

    /// <summary>Creates an empty database and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        await ExecuteAsync("postgres", $"CREATE DATABASE {name}");
        return name;
    }

    /// <summary>Creates a login with the given password that may do what the clone's master user does (create the tool's schema, update every table).</summary>
    public Task CreateLoginAsync(string user, string password) =>
        ExecuteAsync("postgres", $"CREATE ROLE {user} LOGIN SUPERUSER PASSWORD '{password.Replace("'", "''", StringComparison.Ordinal)}'");

    public Task ExecuteAsync(string database, string sql) => Sql.ExecuteAsync(new NpgsqlConnection(ConnectionString(database)), sql);

    public Task<List<object[]>> QueryAsync(string database, string sql) => Sql.QueryAsync(new NpgsqlConnection(ConnectionString(database)), sql);

    /// <summary>The environment the hook scripts read, pointing at one database of this server.</summary>
    public Dictionary<string, string> HookEnvironment(string database) => new()
    {
        ["QA_DB_HOST"] = Host,
        ["QA_DB_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["QA_DB_USER"] = User,
        ["QA_DB_PASSWORD"] = Password,
        ["QA_DB_NAME"] = database,
        ["QA_DB_SSLMODE"] = "disable",
    };

    private static string FindBinaries()
    {
        var root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. Install Debian's postgresql package (`bash .ci/run` does).");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void RunPostgres(bool asRoot, string tool, string[] arguments)
    {
        var path = Path.Combine(_bin, tool);
        if (asRoot)
        {
            Processes.Run("runuser", ["-u", "postgres", "--", path, .. arguments]);
        }
        else
        {
            Processes.Run(path, arguments);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresTests : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
