using QaDatabases.Cli;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

/// <summary>The write-isolation check against two real local databases standing in for source and clone.</summary>
[Collection(PostgresTests.Name)]
public class IsolationCheckTests(PostgresServer server)
{
    private static async Task<(int Exit, string Out, string Err)> CheckAsync(string source, string clone)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        Environment.SetEnvironmentVariable($"SRC_{suffix}", source);
        Environment.SetEnvironmentVariable($"CLN_{suffix}", clone);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await QaDbCli.RunAsync(["isolation-check", "--source-env", $"SRC_{suffix}", "--clone-env", $"CLN_{suffix}"], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task A_real_clone_is_isolated_and_the_source_is_left_untouched()
    {
        var source = await server.CreateDatabaseAsync("source");
        var clone = await server.CreateDatabaseAsync("clone");

        var (exit, output, error) = await CheckAsync(server.ConnectionString(source), server.ConnectionString(clone));

        Assert.True(exit == 0, error);
        Assert.StartsWith("isolated: marker ", output, StringComparison.Ordinal);
        Assert.Empty(await server.QueryAsync(source, "SELECT 1 FROM pg_class WHERE relname = 'qa_db_isolation_marker'"));
        Assert.Empty(await server.QueryAsync(clone, "SELECT * FROM qa_db_isolation_marker"));
    }

    [Fact]
    public async Task Two_names_for_one_database_are_caught_as_not_isolated()
    {
        var database = await server.CreateDatabaseAsync("shared");
        var viaLocalhost = server.ConnectionString(database).Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

        var (exit, output, _) = await CheckAsync(viaLocalhost, server.ConnectionString(database));

        Assert.Equal(1, exit);
        Assert.StartsWith("NOT ISOLATED", output, StringComparison.Ordinal);
        Assert.Empty(await server.QueryAsync(database, "SELECT * FROM qa_db_isolation_marker"));
    }

    [Fact]
    public async Task The_same_connection_for_both_is_refused_as_meaningless()
    {
        var database = await server.CreateDatabaseAsync("same");

        var (exit, _, error) = await CheckAsync(server.ConnectionString(database), server.ConnectionString(database));

        Assert.Equal(2, exit);
        Assert.Contains("would prove nothing", error, StringComparison.Ordinal);
    }
}
