using QaDatabases.Capacity;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests.Masking;

/// <summary>
/// <c>qa-db masking</c> against a real MySQL-protocol server (Debian's MariaDB 10.11, started with
/// MySQL 8.0's sql_mode and utf8mb4) standing in for an Aurora MySQL clone: the shared promises of
/// <see cref="MaskingContract"/>. Each test's clone is reached by a user who sees only that database,
/// as an Aurora MySQL clone's connection sees only the clone's databases (a MySQL policy covers every
/// database its connection can see). The SQL used is in both MySQL 8.0 and MariaDB: CONCAT, LPAD,
/// ELT, MD5, CONV, SHA2, REGEXP, INTERVAL arithmetic, ON DUPLICATE KEY UPDATE ... VALUES().
/// </summary>
[Collection(MariaDbTests.Name)]
public class MySqlMaskingTests(MariaDbServer server) : MaskingContract
{
    protected override EngineFamily Engine => EngineFamily.MySql;

    protected override async Task<MaskingClone> FixtureCloneAsync()
    {
        var database = await server.CreateDatabaseAsync("mask");
        await server.ExecuteAsync(database, await File.ReadAllTextAsync(Repo.PathOf("Tests", "Core.Tests", "Fixtures", "masking-fixture-mysql.sql")));
        return new MaskingClone(database, await server.DatabaseUserConnectionStringAsync(database), database);
    }

    protected override Task<List<object[]>> RowsAsync(MaskingClone clone, string sql) => server.QueryAsync(clone.Database, sql);

    protected override Task ExecuteAsync(MaskingClone clone, string sql) => server.ExecuteAsync(clone.Database, sql);

    protected override string ChangeTypeToText(string table, string column) => $"ALTER TABLE {table} MODIFY {column} TEXT";

    protected override string EmailRestoringTrigger =>
        "CREATE TRIGGER restore_email BEFORE UPDATE ON customers FOR EACH ROW SET NEW.email = OLD.email";

    protected override (string Ddl, string SelectColumn) HostileTableSql
    {
        get
        {
            static string Q(string name) => "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";
            return ($"CREATE TABLE {Q(HostileTable)} (id BIGINT PRIMARY KEY, {Q(HostileColumn)} VARCHAR(255)); INSERT INTO {Q(HostileTable)} VALUES (1, 'a@example.com'), (2, 'b@example.com');",
                $"SELECT {Q(HostileColumn)} FROM {Q(HostileTable)} ORDER BY id");
        }
    }

    [Fact]
    public async Task Without_schemas_the_policy_covers_every_database_the_connection_can_see()
    {
        var clone = await FixtureCloneAsync();
        var other = await server.CreateDatabaseAsync("other");
        await server.ExecuteAsync(other, "CREATE TABLE leads (id BIGINT PRIMARY KEY, email VARCHAR(255))");
        await server.GrantReadAsync(clone.Database, other);

        var check = await CheckAsync(clone, PolicyFile);

        Assert.Equal(1, check.Exit);
        Assert.Contains($"unclassified column {other}.leads.email (varchar(255)) in table {other}.leads, which the policy does not list; suggested policy line under {other}.leads: columns:  email: email", check.Err, StringComparison.Ordinal);
    }
}
