using System.Globalization;
using QaDatabases.Golden;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests.Golden;

/// <summary>
/// The golden's record switch, run as the real <c>qa-db golden</c> processes a golden stack's
/// <c>pulumi up</c> and <c>destroy</c> run, against moto's SSM, with readers reading it the way a
/// consumer's program does. Each test uses its own golden stack name.
/// </summary>
[Collection(MotoTests.Name)]
public class GoldenRecordMotoTests(MotoServer moto)
{
    private static readonly string Fingerprint = new('d', 64);

    private static string NewGolden() => "golden-" + Guid.NewGuid().ToString("N")[..8];

    private static GoldenRecord Record(string golden, int generation) =>
        new($"qadb-{golden}-g{generation}", generation, Fingerprint, $"2026-11-{10 + generation:00}T05:00:00Z", "prod-orders");

    private Task<ScriptResult> PublishAsync(string golden, int generation)
    {
        var r = Record(golden, generation);
        return QaDbProcess.RunAsync(moto.ClientEnvironment(), "golden", "publish", "--stack", golden, "--cluster", r.Cluster,
            "--generation", generation.ToString(CultureInfo.InvariantCulture), "--policy-fingerprint", r.PolicyFingerprint,
            "--data-time", r.DataTime, "--source-cluster", r.SourceCluster);
    }

    private async Task<GoldenRecord?> ReadAsync(string golden)
    {
        using var store = moto.Store();
        return await store.ReadRecordAsync(golden, CancellationToken.None);
    }

    [Fact]
    public async Task A_reader_never_sees_the_record_missing_or_half_written_while_the_golden_switches()
    {
        var golden = NewGolden();
        Assert.Equal(0, (await PublishAsync(golden, 1)).ExitCode);

        using var store = moto.Store();
        using var stop = new CancellationTokenSource();
        var seen = new List<int>();
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Strict: a missing record would be null here, a partial one would throw.
                var record = await store.ReadRecordAsync(golden, CancellationToken.None);
                seen.Add(record?.Generation ?? 0);
            }
        });

        for (var generation = 2; generation <= 4; generation++)
        {
            var switched = await PublishAsync(golden, generation);
            Assert.True(switched.ExitCode == 0, switched.Stderr);
        }

        await stop.CancelAsync();
        await reader;

        Assert.DoesNotContain(0, seen);
        Assert.Equal(seen.Order(), seen);
        Assert.Equal(4, seen[^1]);
        Assert.True(seen.Count > 10, $"only {seen.Count} reads happened during three switches");
    }

    [Fact]
    public async Task A_record_is_never_switched_back_to_an_older_generation()
    {
        var golden = NewGolden();
        Assert.Equal(0, (await PublishAsync(golden, 3)).ExitCode);

        var older = await PublishAsync(golden, 2);

        Assert.Equal(ExitCodes.Rejected, older.ExitCode);
        Assert.Contains($"golden stack {golden} records generation 3 (qadb-{golden}-g3); generation 2 (qadb-{golden}-g2) is older", older.Stderr, StringComparison.Ordinal);
        Assert.Equal(Record(golden, 3), await ReadAsync(golden));
    }

    [Fact]
    public async Task Publishing_the_recorded_generation_again_changes_nothing()
    {
        var golden = NewGolden();
        Assert.Equal(0, (await PublishAsync(golden, 2)).ExitCode);

        var again = await PublishAsync(golden, 2);

        Assert.Equal(0, again.ExitCode);
        Assert.Contains("already records generation 2", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(Record(golden, 2), await ReadAsync(golden));
    }

    [Fact]
    public async Task Retiring_the_previous_golden_leaves_the_new_record_and_destroying_the_golden_withdraws_it()
    {
        var golden = NewGolden();
        Assert.Equal(0, (await PublishAsync(golden, 1)).ExitCode);
        Assert.Equal(0, (await PublishAsync(golden, 2)).ExitCode);

        // What Pulumi runs at the end of a refresh: the delete of the command that recorded generation 1.
        var retired = await QaDbProcess.RunAsync(moto.ClientEnvironment(), "golden", "withdraw", "--stack", golden, "--cluster", $"qadb-{golden}-g1");
        Assert.Equal(0, retired.ExitCode);
        Assert.Equal(Record(golden, 2), await ReadAsync(golden));

        // pulumi destroy: the record of the current golden goes, and consumers are told to bring it up.
        var destroyed = await QaDbProcess.RunAsync(moto.ClientEnvironment(), "golden", "withdraw", "--stack", golden, "--cluster", $"qadb-{golden}-g2");
        Assert.Equal(0, destroyed.ExitCode);
        Assert.Null(await ReadAsync(golden));
        var show = await QaDbProcess.RunAsync(moto.ClientEnvironment(), "golden", "show", "--stack", golden);
        Assert.Equal(ExitCodes.Rejected, show.ExitCode);
        Assert.Equal($"qa-db: golden stack {golden} has no ready record: run pulumi up --stack {golden} first", show.Stderr.Trim());
    }

    [Fact]
    public async Task A_hand_edited_record_is_refused_to_readers_and_replaced_by_the_next_publish()
    {
        var golden = NewGolden();
        using (var store = moto.Store())
        {
            await store.PutAsync(GoldenPaths.Ready(golden), "{\"cluster\":\"prod-orders\"}", CancellationToken.None);
        }

        var show = await QaDbProcess.RunAsync(moto.ClientEnvironment(), "golden", "show", "--stack", golden);
        Assert.Equal(ExitCodes.Rejected, show.ExitCode);
        Assert.Contains($"SSM parameter {GoldenPaths.Ready(golden)} is not a record qa-db wrote", show.Stderr, StringComparison.Ordinal);

        Assert.Equal(0, (await PublishAsync(golden, 1)).ExitCode);
        Assert.Equal(Record(golden, 1), await ReadAsync(golden));
    }
}
