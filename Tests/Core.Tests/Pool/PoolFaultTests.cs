using System.Text.RegularExpressions;
using QaDatabases.Aws;
using QaDatabases.Pool;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests.Pool;

/// <summary>
/// Each <c>qa-db pool</c> lease command, run as the real process, against moto behind a
/// <see cref="FaultProxy"/>: the exit code, the one line on stderr (never a stack trace), and what SSM
/// holds afterwards (no orphaned lease, no member free after a claimer may have written to it).
/// </summary>
[Collection(MotoTests.Name)]
public partial class PoolFaultTests(MotoServer moto)
{
    private const string Claimer = "acme/qa-db/pr-1";

    public static TheoryData<string> Commands => ["claim", "release", "refill-lease", "refill-done"];

    private static string NewPool() => "faults-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Seeds member 1 as the command finds it in a real run: free for a claim, leased for a release, used for a refill, refilled for refill-done.</summary>
    private async Task SeedAsync(string command, string pool)
    {
        using var store = moto.Store();
        await store.PutAsync(PoolPaths.Ready(pool, 1), PoolJson.Write(PoolFixtures.Ready(pool, 1, generation: command == "refill-done" ? 2 : 1)), CancellationToken.None);
        if (command == "release")
        {
            await store.PutAsync(PoolPaths.Lease(pool, 1), PoolJson.Write(new MemberLease(Claimer, "2026-11-25T06:00:00Z")), CancellationToken.None);
        }

        if (command is "refill-lease" or "refill-done")
        {
            await store.PutAsync(PoolPaths.Used(pool, 1), PoolJson.Write(new MemberUsed(Claimer, "2026-11-25T07:00:00Z")), CancellationToken.None);
        }

        if (command == "refill-done")
        {
            await store.PutAsync(PoolPaths.Lease(pool, 1), PoolJson.Write(new MemberLease(PoolPaths.RefillHolder(pool), "2026-11-25T07:30:00Z")), CancellationToken.None);
        }
    }

    private static string[] Arguments(string command, string pool) => command switch
    {
        "claim" => ["pool", "claim", "--pool", pool, "--stack", Claimer, "--ttl", "72h"],
        "release" => ["pool", "release", "--pool", pool, "--stack", Claimer],
        _ => ["pool", command, "--pool", pool, "--member", "1"],
    };

    /// <summary>The first SSM call each command makes: its state read, or for refill-lease the lease itself.</summary>
    private static (string Operation, string Resource) FirstCall(string command, string pool) =>
        command == "refill-lease" ? ("PutParameter", PoolPaths.Lease(pool, 1)) : ("GetParametersByPath", PoolPaths.Members(pool).TrimEnd('/'));

    /// <summary>The writes each command makes, by SSM action.</summary>
    private static string[] Writes(string command) => command switch
    {
        "claim" or "refill-lease" => ["PutParameter"],
        "release" => ["PutParameter", "DeleteParameter"],
        _ => ["DeleteParameter"],
    };

    /// <summary>Member 1 as a run of the command that completed leaves it.</summary>
    private static void AssertCompleted(string command, string pool, MemberState member)
    {
        switch (command)
        {
            case "claim":
                Assert.Equal(Claimer, member.Lease?.Holder);
                Assert.False(member.HasUsed);
                break;
            case "release":
                Assert.Null(member.Lease);
                Assert.Equal(Claimer, member.Used?.By);
                break;
            case "refill-lease":
                Assert.Equal(PoolPaths.RefillHolder(pool), member.Lease?.Holder);
                break;
            default:
                Assert.Equal(MemberStatus.Free, PoolDecisions.StatusOf(member, pool));
                break;
        }
    }

    private async Task<PoolState> StateAsync(string pool)
    {
        using var store = moto.Store();
        return await store.ReadAsync(pool, CancellationToken.None);
    }

    private Task<ScriptResult> ThroughAsync(FaultProxy proxy, string[] arguments) => QaDbProcess.RunAsync(proxy.ClientEnvironment(moto), arguments);

    private Task<ScriptResult> DirectAsync(string[] arguments) => QaDbProcess.RunAsync(moto.ClientEnvironment(), arguments);

    /// <summary>stderr is exactly one line starting with <c>qa-db: </c>, and no stack trace.</summary>
    private static string OneLine(ScriptResult result)
    {
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("qa-db: ", line, StringComparison.Ordinal);
        return line;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Refused_connections_exit_4_with_one_line_naming_SSM_and_its_region_and_change_nothing(string command)
    {
        var pool = NewPool();
        await SeedAsync(command, pool);
        var before = await StateAsync(pool);
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.RefuseConnections();

        var result = await ThroughAsync(proxy, Arguments(command, pool));

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.StartsWith($"qa-db: cannot reach SSM in {MotoServer.Region} (Connection refused", OneLine(result), StringComparison.Ordinal);
        Assert.Equal(before.Members, (await StateAsync(pool)).Members);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Throttling_that_outlasts_the_retries_exits_4_saying_how_long_the_SDK_tried_and_changes_nothing(string command)
    {
        var pool = NewPool();
        await SeedAsync(command, pool);
        var before = await StateAsync(pool);
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.Throttle();

        var result = await ThroughAsync(proxy, Arguments(command, pool));

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        var (operation, resource) = FirstCall(command, pool);
        Assert.Matches(
            $@"^qa-db: SSM in {MotoServer.Region} is still throttling ssm:{operation} on {resource} after the SDK retried with backoff for \d+(\.\d)? s \(ThrottlingException: Rate exceeded\)\. Wait a minute, then run the same command again\.",
            OneLine(result));
        Assert.Equal(3, proxy.Seen.Count); // AWS_MAX_ATTEMPTS=3 in the proxy's environment: the SDK's own retries, bounded
        Assert.Equal(before.Members, (await StateAsync(pool)).Members);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Throttling_that_ends_within_the_retries_lets_the_command_complete(string command)
    {
        var pool = NewPool();
        await SeedAsync(command, pool);
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.Throttle(times: 2);

        var result = await ThroughAsync(proxy, Arguments(command, pool));

        Assert.True(result.ExitCode == 0, result.Stderr);
        AssertCompleted(command, pool, Assert.Single((await StateAsync(pool)).Members));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task A_denied_first_call_exits_5_naming_the_action_the_resource_and_the_PoolLeases_statement(string command)
    {
        var pool = NewPool();
        await SeedAsync(command, pool);
        var before = await StateAsync(pool);
        var (operation, resource) = FirstCall(command, pool);
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.Deny(operation);

        var result = await ThroughAsync(proxy, Arguments(command, pool));

        Assert.Equal(ExitCodes.Denied, result.ExitCode);
        var line = OneLine(result);
        Assert.StartsWith(
            $"qa-db: AWS denied ssm:{operation} on arn:aws:ssm:{MotoServer.Region}:{FaultProxy.Account}:parameter{resource} (AccessDeniedException: User: ",
            line, StringComparison.Ordinal);
        Assert.Contains("allows it in statement PoolLeases (printed by `qa-db policy`)", line, StringComparison.Ordinal);
        Assert.Equal(before.Members, (await StateAsync(pool)).Members);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Without_credentials_a_command_exits_5_saying_where_credentials_are_looked_for_and_which_role_to_use(string command)
    {
        var pool = NewPool();
        await SeedAsync(command, pool);
        var before = await StateAsync(pool);
        var home = Directory.CreateTempSubdirectory("qa-db-nocreds-");
        try
        {
            var environment = moto.ClientEnvironment();
            environment.Remove("AWS_ACCESS_KEY_ID");
            environment.Remove("AWS_SECRET_ACCESS_KEY");
            environment["HOME"] = home.FullName;
            environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(home.FullName, "credentials");
            environment["AWS_CONFIG_FILE"] = Path.Combine(home.FullName, "config");

            var result = await QaDbProcess.RunAsync(environment, NoCredentialVariables, Arguments(command, pool));

            Assert.Equal(ExitCodes.Denied, result.ExitCode);
            var line = OneLine(result);
            var (operation, resource) = FirstCall(command, pool);
            Assert.StartsWith($"qa-db: no AWS credentials found for ssm:{operation} on {resource} (SSM in {MotoServer.Region}: Failed to resolve AWS credentials). ", line, StringComparison.Ordinal);
            foreach (var source in new[] { "AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "aws-login", "qa-db-deployer", "Access: the deployer role" })
            {
                Assert.Contains(source, line, StringComparison.Ordinal);
            }

            Assert.Equal(before.Members, (await StateAsync(pool)).Members);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task A_write_whose_answer_is_lost_once_is_retried_by_the_SDK_and_the_command_completes(string command)
    {
        var pool = NewPool();
        await SeedAsync(command, pool);
        await using var proxy = new FaultProxy(moto.Endpoint);
        foreach (var write in Writes(command))
        {
            proxy.DropResponse(write, times: 1);
        }

        var result = await ThroughAsync(proxy, Arguments(command, pool));

        Assert.True(result.ExitCode == 0, result.Stderr);
        AssertCompleted(command, pool, Assert.Single((await StateAsync(pool)).Members));
        foreach (var write in Writes(command))
        {
            Assert.True(proxy.Seen.Count(a => a == write) >= 2, $"{write} was not retried: {string.Join(", ", proxy.Seen)}");
        }
    }

    [Fact]
    public async Task A_lease_create_whose_response_was_lost_is_recognised_as_the_claimers_own_on_retry()
    {
        var pool = NewPool();
        await SeedAsync("claim", pool);
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.DropResponse("PutParameter", times: 1);

        var result = await ThroughAsync(proxy, Arguments("claim", pool));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(1, PoolJson.ParseClaimOutput(result.Stdout).Member);
        Assert.Equal(2, proxy.Seen.Count(a => a == "PutParameter")); // the landed create, then the SDK's retry that found it
        var member = Assert.Single((await StateAsync(pool)).Members);
        Assert.Equal(Claimer, member.Lease?.Holder);
    }

    [Fact]
    public async Task A_claim_whose_recheck_is_denied_gives_its_lease_back_before_failing()
    {
        var pool = NewPool();
        await SeedAsync("claim", pool);
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.Deny("GetParameters");

        var result = await ThroughAsync(proxy, Arguments("claim", pool));

        Assert.Equal(ExitCodes.Denied, result.ExitCode);
        var line = OneLine(result);
        Assert.StartsWith($"qa-db: AWS denied ssm:GetParameters on arn:aws:ssm:{MotoServer.Region}:{FaultProxy.Account}:parameter/qa-db/pools/{pool}/members/1/ready", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Left behind", line, StringComparison.Ordinal);
        var member = Assert.Single((await StateAsync(pool)).Members);
        Assert.Equal(MemberStatus.Free, PoolDecisions.StatusOf(member, pool));
    }

    [Fact]
    public async Task A_claim_that_cannot_give_its_lease_back_says_so_and_the_same_claim_run_again_finishes_it()
    {
        var pool = NewPool();
        await SeedAsync("claim", pool);
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.Deny("GetParameters").Deny("DeleteParameter");

        var failed = await ThroughAsync(proxy, Arguments("claim", pool));

        Assert.Equal(ExitCodes.Denied, failed.ExitCode);
        Assert.EndsWith(
            $"Left behind: member 1 of {pool} may still be leased by {Claimer}: the same claim run again finishes it, or `qa-db pool release --pool {pool} --stack {Claimer}` gives it back.",
            OneLine(failed), StringComparison.Ordinal);
        var held = Assert.Single((await StateAsync(pool)).Members);
        Assert.Equal(Claimer, held.Lease?.Holder);
        Assert.False(held.HasUsed);

        var again = await DirectAsync(Arguments("claim", pool));

        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(1, PoolJson.ParseClaimOutput(again.Stdout).Member);
        Assert.Equal(Claimer, Assert.Single((await StateAsync(pool)).Members).Lease?.Holder);
    }

    [Fact]
    public async Task A_claim_whose_lease_create_loses_every_answer_exits_4_and_leaves_no_lease()
    {
        var pool = NewPool();
        await SeedAsync("claim", pool);
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.DropResponse("PutParameter");

        var result = await ThroughAsync(proxy, Arguments("claim", pool));

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.StartsWith($"qa-db: cannot reach SSM in {MotoServer.Region} (", OneLine(result), StringComparison.Ordinal);
        Assert.Null(Assert.Single((await StateAsync(pool)).Members).Lease); // the create landed; the claim read it back as its own and deleted it
    }

    [Fact]
    public async Task A_release_stopped_between_the_used_mark_and_the_lease_delete_leaves_the_member_leased_and_the_same_release_finishes_it()
    {
        var pool = NewPool();
        await SeedAsync("release", pool);
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.Deny("DeleteParameter");

        var failed = await ThroughAsync(proxy, Arguments("release", pool));

        Assert.Equal(ExitCodes.Denied, failed.ExitCode);
        Assert.EndsWith(
            $"Left behind: member 1 of {pool} is still leased by {Claimer} (perhaps already marked used), so nothing takes it; the same release run again finishes it.",
            OneLine(failed), StringComparison.Ordinal);
        var half = Assert.Single((await StateAsync(pool)).Members);
        Assert.True(half.HasUsed);
        Assert.Equal(MemberStatus.Leased, PoolDecisions.StatusOf(half, pool)); // never free with a tester's data

        var again = await DirectAsync(Arguments("release", pool));

        Assert.True(again.ExitCode == 0, again.Stderr);
        AssertCompleted("release", pool, Assert.Single((await StateAsync(pool)).Members));
    }

    [Fact]
    public async Task A_refill_done_stopped_between_its_two_deletes_keeps_the_member_under_the_refill_lease_and_the_same_command_frees_it()
    {
        var pool = NewPool();
        await SeedAsync("refill-done", pool);
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.Deny("DeleteParameter", nameContains: "/lease");

        var failed = await ThroughAsync(proxy, Arguments("refill-done", pool));

        Assert.Equal(ExitCodes.Denied, failed.ExitCode);
        Assert.EndsWith($"Left behind: member 1 of {pool} is still under its refill's lease, so no claim takes it yet; the same refill-done run again frees it.", OneLine(failed), StringComparison.Ordinal);
        var half = Assert.Single((await StateAsync(pool)).Members);
        Assert.False(half.HasUsed);
        Assert.Equal(MemberStatus.Refilling, PoolDecisions.StatusOf(half, pool));

        var again = await DirectAsync(Arguments("refill-done", pool));

        Assert.True(again.ExitCode == 0, again.Stderr);
        AssertCompleted("refill-done", pool, Assert.Single((await StateAsync(pool)).Members));
    }

    [Fact]
    public async Task A_refill_lease_whose_answers_are_all_lost_exits_4_and_the_same_command_takes_the_lease_over()
    {
        var pool = NewPool();
        await SeedAsync("refill-lease", pool);
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.DropResponse("PutParameter");

        var failed = await ThroughAsync(proxy, Arguments("refill-lease", pool));

        Assert.Equal(ExitCodes.Unavailable, failed.ExitCode);
        Assert.EndsWith($"Left behind: member 1 of {pool} may be leased for its refill, so no claim takes it; the same refill-lease run again takes that lease over.", OneLine(failed), StringComparison.Ordinal);

        var again = await DirectAsync(Arguments("refill-lease", pool));

        Assert.True(again.ExitCode == 0, again.Stderr);
        AssertCompleted("refill-lease", pool, Assert.Single((await StateAsync(pool)).Members));
    }

    [Fact]
    public async Task An_answer_that_never_comes_ends_at_the_time_allowed_per_call_with_exit_4()
    {
        var pool = NewPool();
        await SeedAsync("claim", pool);
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.Stall();
        var environment = proxy.ClientEnvironment(moto);
        environment["QA_DB_AWS_TIMEOUT"] = "2";
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = await QaDbProcess.RunAsync(environment, Arguments("claim", pool));

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.StartsWith($"qa-db: SSM in {MotoServer.Region} did not answer ssm:GetParametersByPath on /qa-db/pools/{pool}/members within 2.", OneLine(result), StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Server_errors_that_outlast_the_retries_exit_4_naming_the_HTTP_status()
    {
        var pool = NewPool();
        await SeedAsync("release", pool);
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.FailOnServer("PutParameter");

        var result = await ThroughAsync(proxy, Arguments("release", pool));

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.Contains("kept failing ssm:PutParameter on /qa-db/pools/", OneLine(result), StringComparison.Ordinal);
        Assert.Contains("with HTTP 500 after the SDK retried for", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(MemberStatus.Leased, PoolDecisions.StatusOf(Assert.Single((await StateAsync(pool)).Members), pool));
    }

    [Fact]
    public async Task Expired_credentials_exit_5_saying_AWS_rejected_them()
    {
        var pool = NewPool();
        await SeedAsync("claim", pool);
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.ExpireToken();

        var result = await ThroughAsync(proxy, Arguments("claim", pool));

        Assert.Equal(ExitCodes.Denied, result.ExitCode);
        Assert.StartsWith("qa-db: AWS rejected the credentials in use for ssm:GetParametersByPath", OneLine(result), StringComparison.Ordinal);
        Assert.Contains($"(SSM in {MotoServer.Region}: ExpiredTokenException: The security token included in the request is expired): expired or not valid.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QA_DB_DEBUG_adds_the_full_exception_after_the_line()
    {
        var pool = NewPool();
        await using var proxy = new FaultProxy(moto.Endpoint);
        proxy.RefuseConnections();
        var environment = proxy.ClientEnvironment(moto);
        environment["QA_DB_DEBUG"] = "1";

        var result = await QaDbProcess.RunAsync(environment, Arguments("claim", pool));

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.StartsWith("qa-db: cannot reach SSM", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("QaDatabases.Faults.AwsFaultException", result.Stderr, StringComparison.Ordinal);
        Assert.Matches(StackFrame(), result.Stderr);
    }

    [Fact]
    public async Task A_malformed_QA_DB_AWS_TIMEOUT_is_a_usage_error_naming_the_variable()
    {
        var environment = moto.ClientEnvironment();
        environment["QA_DB_AWS_TIMEOUT"] = "30s";

        var result = await QaDbProcess.RunAsync(environment, Arguments("claim", NewPool()));

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains("QA_DB_AWS_TIMEOUT '30s': expected whole seconds from 1 to 3600", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_region_a_command_exits_2_saying_how_to_give_one()
    {
        var environment = moto.ClientEnvironment();
        environment.Remove("AWS_ENDPOINT_URL");
        environment.Remove("AWS_REGION");
        var home = Directory.CreateTempSubdirectory("qa-db-noregion-");
        try
        {
            environment["HOME"] = home.FullName;
            environment["AWS_CONFIG_FILE"] = Path.Combine(home.FullName, "config");

            var result = await QaDbProcess.RunAsync(environment, ["AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"], Arguments("claim", NewPool()));

            Assert.Equal(ExitCodes.UsageError, result.ExitCode);
            Assert.StartsWith("qa-db: no AWS region for SSM (", OneLine(result), StringComparison.Ordinal);
            Assert.Contains("pass --region, or set AWS_REGION", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    /// <summary>Every variable the SDK's credential chain reads, so the child inherits none from the test process.</summary>
    private static readonly string[] NoCredentialVariables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ];

    [GeneratedRegex(@"\n\s+at QaDatabases\.")]
    private static partial Regex StackFrame();
}
