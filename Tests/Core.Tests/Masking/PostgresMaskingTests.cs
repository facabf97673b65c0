using QaDatabases.Capacity;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests.Masking;

/// <summary>
/// <c>qa-db masking</c> against a real PostgreSQL 15 server standing in for an Aurora PostgreSQL
/// clone: the shared promises of <see cref="MaskingContract"/>, and what PostgreSQL does its own way.
/// </summary>
[Collection(PostgresTests.Name)]
public class PostgresMaskingTests(PostgresServer server) : MaskingContract
{
    protected override EngineFamily Engine => EngineFamily.PostgreSql;

    protected override async Task<MaskingClone> FixtureCloneAsync()
    {
        var database = await server.CreateDatabaseAsync("mask");
        await server.ExecuteAsync(database, await File.ReadAllTextAsync(Repo.PathOf("Tests", "Core.Tests", "Fixtures", "masking-fixture.sql")));
        return new MaskingClone(database, server.ConnectionString(database), "public");
    }

    protected override Task<List<object[]>> RowsAsync(MaskingClone clone, string sql) => server.QueryAsync(clone.Database, sql);

    protected override Task ExecuteAsync(MaskingClone clone, string sql) => server.ExecuteAsync(clone.Database, sql);

    protected override string ChangeTypeToText(string table, string column) => $"ALTER TABLE {table} ALTER COLUMN {column} TYPE text";

    protected override string EmailRestoringTrigger => """
        CREATE FUNCTION restore_email() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.email := OLD.email; RETURN NEW; END $$;
        CREATE TRIGGER restore_email BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION restore_email();
        """;

    protected override (string Ddl, string SelectColumn) HostileTableSql
    {
        get
        {
            static string Q(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            return ($"CREATE TABLE {Q(HostileTable)} (id bigint PRIMARY KEY, {Q(HostileColumn)} text); INSERT INTO {Q(HostileTable)} VALUES (1, 'a@example.com'), (2, 'b@example.com');",
                $"SELECT {Q(HostileColumn)} FROM {Q(HostileTable)} ORDER BY id");
        }
    }

    [Fact]
    public async Task Partitions_are_masked_through_their_parent_which_alone_the_policy_lists()
    {
        var database = await server.CreateDatabaseAsync("mask");
        await server.ExecuteAsync(database, """
            CREATE TABLE events (id bigint, region text, email text, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
            CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu');
            CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us');
            INSERT INTO events VALUES (1, 'eu', 'a@example.com'), (2, 'us', 'b@example.com');
            """);
        using var project = new TempProject();
        project.Write("policy.yaml", "tables:\n  events:\n    columns:\n      id: keep\n      region: keep\n      email: email\n");
        var clone = new MaskingClone(database, server.ConnectionString(database), "public");

        var (exit, _, error) = await ApplyAsync(clone, Path.Combine(project.Path, "policy.yaml"));

        Assert.True(exit == 0, error);
        Assert.All(await server.QueryAsync(database, "SELECT email FROM events"), r => Assert.Matches("^user-[0-9a-f]{16}@example\\.invalid$", (string)r[0]));
    }

    [Fact]
    public async Task The_ledger_lives_in_its_own_schema_and_records_every_masked_column_with_the_policy_fingerprint()
    {
        var clone = await FixtureCloneAsync();

        Assert.Equal(0, (await ApplyAsync(clone, PolicyFile)).Exit);

        var ledger = await server.QueryAsync(clone.Database, "SELECT table_name, column_name, rule, policy_fingerprint FROM qa_db.masking_ledger WHERE table_name IN ('customers', 'sessions') ORDER BY 1, 2");
        var fingerprint = QaDatabases.Masking.MaskingPolicy.Fingerprint(await File.ReadAllTextAsync(PolicyFile));
        Assert.Contains(["customers", "birthday", "date-shift: 30", fingerprint], ledger);
        Assert.Contains(["sessions", "", "truncate", fingerprint], ledger);
        Assert.Equal(10, ledger.Count);
        Assert.DoesNotContain(Salt, string.Join(",", ledger.SelectMany(r => r)), StringComparison.Ordinal);
    }
}
