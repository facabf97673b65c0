using System.Diagnostics;
using System.Globalization;
using MySqlConnector;

namespace QaDatabases.Tests.Support;

/// <summary>
/// A real, throwaway MySQL-protocol server for the tests, standing in for the Aurora MySQL endpoint:
/// Debian's MariaDB, with its own data directory in a temp folder, listening on 127.0.0.1 on a free
/// port, with a password user (no --skip-grant-tables: the hooks must really authenticate), stopped
/// and deleted afterwards. Running as root (CI containers), the server runs as the 'mysql' user,
/// since mariadbd refuses to run as root. If the binaries are missing the tests fail with the fix,
/// never skip: `bash .ci/run` installs them.
/// </summary>
public sealed class MariaDbServer : IAsyncLifetime
{
    public const string User = "qa_admin";

    /// <summary>
    /// Quotes, a backslash, '#' and '$' on purpose: the hooks write the password into a mysql
    /// option file, where '#' starts a comment and '\' and '"' are escapes, and run it through bash.
    /// </summary>
    public const string Password = "local \"test\" pw #1 \\ $HOME;'";

    public const string Host = "127.0.0.1";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "qa-db-mariadb-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _server;

    public int Port { get; private set; }

    private string Socket => Path.Combine(_directory, "mariadbd.sock");

    /// <summary>Root over the server's private socket, only to create the test user.</summary>
    private string RootConnectionString => new MySqlConnectionStringBuilder
    {
        Server = Socket,
        ConnectionProtocol = MySqlConnectionProtocol.Unix,
        UserID = "root",
        Pooling = false,
    }.ConnectionString;

    public async Task InitializeAsync()
    {
        var (installDb, serverBinary) = FindBinaries();
        Port = PostgresServer.FreePort();
        Directory.CreateDirectory(_directory);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            Processes.Run("chown", ["mysql:mysql", _directory]);
        }

        var data = Path.Combine(_directory, "data");

        // 'normal': root@localhost gets an empty password instead of unix_socket auth, so this
        // process (root or not) can create the test user over the private socket.
        var (file, arguments) = AsServerUser(asRoot, installDb,
            ["--no-defaults", "--auth-root-authentication-method=normal", "--skip-test-db", $"--datadir={data}"]);
        Processes.Run(file, arguments);

        (file, arguments) = AsServerUser(asRoot, serverBinary, [
            "--no-defaults", $"--datadir={data}", $"--socket={Socket}", $"--port={Port}", $"--bind-address={Host}",
            $"--pid-file={Path.Combine(_directory, "mariadbd.pid")}", $"--log-error={Path.Combine(_directory, "server.log")}",
            "--skip-name-resolve", "--innodb-flush-log-at-trx-commit=0", "--innodb-buffer-pool-size=64M",
            // Aurora MySQL 3's (MySQL 8.0's) defaults, where MariaDB's differ and a masking script could notice.
            "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
            "--sql-mode=ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"]);
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _server = Process.Start(start)!;
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        await WaitUntilReadyAsync();
        await CreateUserAsync(User, Password);
    }

    /// <summary>Creates a user with every privilege, as the clone's master user has; the password is passed as a parameter, never spliced into SQL.</summary>
    public async Task CreateUserAsync(string user, string password)
    {
        await using var root = new MySqlConnection(RootConnectionString);
        await root.OpenAsync();
        await using var command = new MySqlCommand(
            $"CREATE USER '{user}'@'%' IDENTIFIED BY @password; GRANT ALL PRIVILEGES ON *.* TO '{user}'@'%'", root);
        command.Parameters.AddWithValue("@password", password);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_server is { HasExited: false })
            {
                // A throwaway server: no clean shutdown needed, only its data directory goes.
                _server.Kill(entireProcessTree: true);
                await _server.WaitForExitAsync();
            }
        }
        finally
        {
            _server?.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }

    public string ConnectionString(string? database) =>
        new MySqlConnectionStringBuilder
        {
            Server = Host,
            Port = (uint)Port,
            UserID = User,
            Password = Password,
            Database = database ?? "",
            SslMode = MySqlSslMode.None,
            Pooling = false,
        }.ConnectionString;

    /// <summary>Creates an empty database and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        await ExecuteAsync(null, $"CREATE DATABASE {name}");
        return name;
    }

    /// <summary>
    /// A connection string for a new user who sees only <paramref name="database"/> (and the masking
    /// ledger's database, qa_db). A MySQL masking policy covers every database its connection can see,
    /// as on an Aurora MySQL clone; on this shared test server that would be every test's database.
    /// </summary>
    public async Task<string> DatabaseUserConnectionStringAsync(string database)
    {
        var user = "u_" + database;
        const string UserPassword = "db-user-pw";
        await Sql.ExecuteAsync(new MySqlConnection(RootConnectionString), $"CREATE USER '{user}'@'%' IDENTIFIED BY '{UserPassword}'; "
            + $"GRANT ALL PRIVILEGES ON `{database}`.* TO '{user}'@'%'; GRANT ALL PRIVILEGES ON `qa_db`.* TO '{user}'@'%'");
        return new MySqlConnectionStringBuilder(ConnectionString(database)) { UserID = user, Password = UserPassword }.ConnectionString;
    }

    /// <summary>Lets the user of <see cref="DatabaseUserConnectionStringAsync"/> for <paramref name="userDatabase"/> also read <paramref name="database"/>.</summary>
    public Task GrantReadAsync(string userDatabase, string database) =>
        Sql.ExecuteAsync(new MySqlConnection(RootConnectionString), $"GRANT SELECT ON `{database}`.* TO 'u_{userDatabase}'@'%'");

    public Task ExecuteAsync(string? database, string sql) => Sql.ExecuteAsync(new MySqlConnection(ConnectionString(database)), sql);

    public Task<List<object[]>> QueryAsync(string database, string sql) => Sql.QueryAsync(new MySqlConnection(ConnectionString(database)), sql);

    /// <summary>The environment the hook scripts read, pointing at one database of this server.</summary>
    public Dictionary<string, string> HookEnvironment(string database) => new()
    {
        ["QA_DB_HOST"] = Host,
        ["QA_DB_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
        ["QA_DB_USER"] = User,
        ["QA_DB_PASSWORD"] = Password,
        ["QA_DB_NAME"] = database,
        ["QA_DB_SSLMODE"] = "disable",
    };

    private static (string InstallDb, string Server) FindBinaries()
    {
        var installDb = new[] { "/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db" }.FirstOrDefault(File.Exists);
        var server = new[] { "/usr/sbin/mariadbd", "/usr/sbin/mysqld" }.FirstOrDefault(File.Exists);
        var client = Environment.GetEnvironmentVariable("PATH")?.Split(':').Any(dir => File.Exists(Path.Combine(dir, "mysql"))) ?? false;
        if (installDb is null || server is null || !client)
        {
            throw new InvalidOperationException(
                "MariaDB server or client not found (/usr/bin/mariadb-install-db, /usr/sbin/mariadbd, mysql on PATH). "
                + "Install Debian's mariadb-server and mariadb-client packages (`bash .ci/run` does).");
        }

        return (installDb, server);
    }

    private async Task WaitUntilReadyAsync()
    {
        var log = Path.Combine(_directory, "server.log");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_server!.HasExited)
            {
                throw new InvalidOperationException($"mariadbd exited {_server.ExitCode} while starting: {ReadLog(log)}");
            }

            if (File.Exists(Socket))
            {
                try
                {
                    await using var connection = new MySqlConnection(RootConnectionString);
                    await connection.OpenAsync();
                    return;
                }
                catch (MySqlException) when (DateTime.UtcNow < deadline)
                {
                    // Socket created before the server accepts logins: try again.
                }
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"mariadbd was not ready within 60s: {ReadLog(log)}");
            }

            await Task.Delay(200);
        }
    }

    private static (string File, string[] Arguments) AsServerUser(bool asRoot, string binary, string[] arguments) =>
        asRoot ? ("runuser", ["-u", "mysql", "--", binary, .. arguments]) : (binary, arguments);

    private static string ReadLog(string path) => File.Exists(path) ? File.ReadAllText(path) : "(no server log)";
}

[CollectionDefinition(Name)]
public sealed class MariaDbTests : ICollectionFixture<MariaDbServer>
{
    public const string Name = "MariaDB";
}
