using System.Globalization;
using QaDatabases.Golden;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests.Golden;

/// <summary>
/// Each <c>qa-db golden</c> command, run as the real process, against moto behind a
/// <see cref="FaultProxy"/>: the exit code, the one line on stderr (never a stack trace), and the
/// golden's record in moto afterwards (switched whole or not at all, never lost to a fault).
/// </summary>
[Collection(MotoTests.Name)]
public class GoldenFaultTests(MotoServer moto)
{
    private static readonly string Fingerprint = new('e', 64);

    public static TheoryData<string> Commands => ["show", "publish", "withdraw"];

    public static TheoryData<string> Writes => ["publish", "withdraw"];

    private static string NewGolden() => "faults-" + Guid.NewGuid().ToString("N")[..8];

    private static GoldenRecord Record(string golden, int generation) =>
        new($"qadb-{golden}-g{generation}", generation, Fingerprint, $"2026-11-{10 + generation:00}T05:00:00Z", "prod-orders");

    /// <summary>Each golden starts recorded at generation 1, as its first <c>pulumi up</c> left it.</summary>
    private async Task<string> SeededGoldenAsync()
    {
        var golden = NewGolden();
        using var store = moto.Store();
        await store.PutAsync(GoldenPaths.Ready(golden), Record(golden, 1).ToJson(), CancellationToken.None);
        return golden;
    }

    /// <summary>show reads the record; publish switches it to generation 2 (a refresh); withdraw deletes it (destroy).</summary>
    private static string[] Arguments(string command, string golden)
    {
        if (command != "publish")
        {
            return command == "show"
                ? ["golden", "show", "--stack", golden]
                : ["golden", "withdraw", "--stack", golden, "--cluster", Record(golden, 1).Cluster];
        }

        var next = Record(golden, 2);
        return
        [
            "golden", "publish", "--stack", golden, "--cluster", next.Cluster, "--generation", next.Generation.ToString(CultureInfo.InvariantCulture),
            "--policy-fingerprint", next.PolicyFingerprint, "--data-time", next.DataTime, "--source-cluster", next.SourceCluster,
        ];
    }

    /// <summary>The record as a run of the command that completed leaves it.</summary>
    private static GoldenRecord? Completed(string command, string golden) => command switch
    {
        "show" => Record(golden, 1),
        "publish" => Record(golden, 2),
        _ => null,
    };

    /// <summary>The one write of each command that writes, by SSM action.</summary>
    private static string WriteOf(string command) => command == "publish" ? "PutParameter" : "DeleteParameter";

    /// <summary>Who may make each command's calls: publish and withdraw run under the stewards' role; show, for people, under either.</summary>
    private static string AllowedBy(string command) => command == "show"
        ? "The stewards' role's policy allows it in statement GoldenRecords (printed by `qa-db policy --role stewards`); "
            + "The deployer role's policy allows it in statement ReadGoldenRecords (printed by `qa-db policy`): run as the stewards' role or the deployer role"
        : "The stewards' role's policy allows it in statement GoldenRecords (printed by `qa-db policy --role stewards`): run as the stewards' role";

    private async Task<GoldenRecord?> RecordAsync(string golden)
    {
        using var store = moto.Store();
        return await store.ReadRecordAsync(golden, CancellationToken.None);
    }

    private Task<ScriptResult> ThroughAsync(FaultProxy proxy, string[] arguments) => QaDbProcess.RunAsync(proxy.ClientEnvironment(moto), arguments);

    private Task<ScriptResult> DirectAsync(string[] arguments) => QaDbProcess.RunAsync(moto.ClientEnvironment(), arguments);

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Refused_connections_exit_4_with_one_line_naming_SSM_and_its_region_and_leave_the_record_as_it_was(string command)
    {
        var golden = await SeededGoldenAsync();
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.RefuseConnections();

        var result = await ThroughAsync(proxy, Arguments(command, golden));

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.StartsWith(
            $"qa-db: cannot reach SSM in {MotoServer.Region} (Connection refused", FaultRuns.OneLine(result), StringComparison.Ordinal);
        Assert.Equal(Record(golden, 1), await RecordAsync(golden));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Throttling_that_outlasts_the_retries_exits_4_saying_how_long_the_SDK_tried_and_leaves_the_record_as_it_was(string command)
    {
        var golden = await SeededGoldenAsync();
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.Throttle();

        var result = await ThroughAsync(proxy, Arguments(command, golden));

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.Matches(
            $@"^qa-db: SSM in {MotoServer.Region} is still throttling ssm:GetParameters on {GoldenPaths.Ready(golden)} after the SDK retried with backoff for \d+(\.\d)? s "
            + @"\(ThrottlingException: Rate exceeded\)\. Wait a minute, then run the same command again\.$",
            FaultRuns.OneLine(result));
        Assert.Equal(3, proxy.Seen.Count); // AWS_MAX_ATTEMPTS=3 in the proxy's environment: the SDK's own retries, bounded
        Assert.Equal(Record(golden, 1), await RecordAsync(golden));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Throttling_that_ends_within_the_retries_lets_the_command_complete(string command)
    {
        var golden = await SeededGoldenAsync();
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.Throttle(times: 2);

        var result = await ThroughAsync(proxy, Arguments(command, golden));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(Completed(command, golden), await RecordAsync(golden));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task A_denied_record_read_exits_5_naming_the_action_the_record_and_the_statement_of_the_role_meant_to_allow_it(string command)
    {
        var golden = await SeededGoldenAsync();
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.Deny("GetParameters");

        var result = await ThroughAsync(proxy, Arguments(command, golden));

        Assert.Equal(ExitCodes.Denied, result.ExitCode);
        var line = FaultRuns.OneLine(result);
        Assert.StartsWith(
            $"qa-db: AWS denied ssm:GetParameters on arn:aws:ssm:{MotoServer.Region}:{FaultProxy.Account}:parameter{GoldenPaths.Ready(golden)} (AccessDeniedException: User: ",
            line, StringComparison.Ordinal);
        Assert.Contains(AllowedBy(command), line, StringComparison.Ordinal);
        Assert.Equal(Record(golden, 1), await RecordAsync(golden));
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task A_denied_write_exits_5_naming_the_GoldenRecords_statement_and_leaves_the_record_as_it_was(string command)
    {
        var golden = await SeededGoldenAsync();
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.Deny(WriteOf(command));

        var result = await ThroughAsync(proxy, Arguments(command, golden));

        Assert.Equal(ExitCodes.Denied, result.ExitCode);
        var line = FaultRuns.OneLine(result);
        Assert.StartsWith($"qa-db: AWS denied ssm:{WriteOf(command)} on arn:aws:ssm:{MotoServer.Region}:{FaultProxy.Account}:parameter{GoldenPaths.Ready(golden)}", line, StringComparison.Ordinal);
        Assert.Contains(AllowedBy(command), line, StringComparison.Ordinal);
        Assert.DoesNotContain("Left behind", line, StringComparison.Ordinal); // a refusal wrote nothing
        Assert.Equal(Record(golden, 1), await RecordAsync(golden));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Without_credentials_a_command_exits_5_naming_the_role_it_runs_as(string command)
    {
        var golden = await SeededGoldenAsync();

        var result = await FaultRuns.WithoutCredentialsAsync(moto, Arguments(command, golden));

        Assert.Equal(ExitCodes.Denied, result.ExitCode);
        var line = FaultRuns.OneLine(result);
        Assert.StartsWith(
            $"qa-db: no AWS credentials found for ssm:GetParameters on {GoldenPaths.Ready(golden)} (SSM in {MotoServer.Region}: Failed to resolve AWS credentials). ",
            line, StringComparison.Ordinal);
        Assert.Contains("Run as the stewards' role (qa-db-stewards unless the access stack's stewardsRoleName says otherwise", line, StringComparison.Ordinal);
        Assert.Equal(command == "show", line.Contains("qa-db-deployer", StringComparison.Ordinal));
        Assert.Equal(Record(golden, 1), await RecordAsync(golden));
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task A_write_whose_answer_is_lost_once_is_retried_by_the_SDK_and_the_command_completes(string command)
    {
        var golden = await SeededGoldenAsync();
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.DropResponse(WriteOf(command), times: 1);

        var result = await ThroughAsync(proxy, Arguments(command, golden));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(Completed(command, golden), await RecordAsync(golden));
        Assert.Equal(2, proxy.Seen.Count(a => a == WriteOf(command))); // the landed write, then the SDK's retry
    }

    [Fact]
    public async Task A_publish_whose_every_answer_is_lost_exits_4_says_the_record_may_be_switched_and_the_same_publish_finishes_it()
    {
        var golden = await SeededGoldenAsync();
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.DropResponse("PutParameter");

        var failed = await ThroughAsync(proxy, Arguments("publish", golden));

        Assert.Equal(ExitCodes.Unavailable, failed.ExitCode);
        var line = FaultRuns.OneLine(failed);
        Assert.StartsWith($"qa-db: cannot reach SSM in {MotoServer.Region} (", line, StringComparison.Ordinal);
        Assert.EndsWith(
            $"Left behind: the record of golden stack {golden} may already name generation 2 (qadb-{golden}-g2); the same publish run again finishes it.",
            line, StringComparison.Ordinal);
        Assert.Equal(Record(golden, 2), await RecordAsync(golden)); // the overwrite landed whole: the new golden, whose gate passed

        var again = await DirectAsync(Arguments("publish", golden));

        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal($"golden stack {golden} already records generation 2 (qadb-{golden}-g2)", again.Stdout.Trim());
        Assert.Equal(Record(golden, 2), await RecordAsync(golden));
    }

    [Fact]
    public async Task A_withdraw_whose_every_answer_is_lost_exits_4_says_the_record_may_be_gone_and_the_same_withdraw_finishes_it()
    {
        var golden = await SeededGoldenAsync();
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.DropResponse("DeleteParameter");

        var failed = await ThroughAsync(proxy, Arguments("withdraw", golden));

        Assert.Equal(ExitCodes.Unavailable, failed.ExitCode);
        Assert.EndsWith(
            $"Left behind: the record of golden stack {golden} may already be withdrawn; the same withdraw run again finishes it.",
            FaultRuns.OneLine(failed), StringComparison.Ordinal);
        Assert.Null(await RecordAsync(golden));

        var again = await DirectAsync(Arguments("withdraw", golden));

        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal($"golden stack {golden} has no readable record: nothing to withdraw", again.Stdout.Trim());
    }

    [Fact]
    public async Task QA_DB_DEBUG_adds_the_full_exception_after_the_line()
    {
        var golden = await SeededGoldenAsync();
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.RefuseConnections();
        var environment = proxy.ClientEnvironment(moto);
        environment["QA_DB_DEBUG"] = "1";

        var result = await QaDbProcess.RunAsync(environment, Arguments("publish", golden));

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.StartsWith("qa-db: cannot reach SSM", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("QaDatabases.Faults.AwsFaultException", result.Stderr, StringComparison.Ordinal);
        Assert.Matches(FaultRuns.StackFrame(), result.Stderr);
    }
}
