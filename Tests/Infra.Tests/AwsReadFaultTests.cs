using Pulumi;
using Pulumi.Testing;
using QaDatabases.Faults;
using QaDatabases.Pool;
using QaDatabases.Preflight;
using QaDatabases.Stacks;

namespace QaDatabases.Infra.Tests;

/// <summary>
/// The program's read-only AWS calls (the preflight's RDS reads, a claiming or pool stack's SSM reads)
/// failing the way AWS does: each fault becomes one <see cref="RunException"/> naming the config key the
/// read serves, before any resource is declared; an unexpected error stays what it is.
/// </summary>
public class AwsReadFaultTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    public AwsReadFaultTests() => ProgramRun.UseProjectDirectory();

    private static AwsFaultException Unreachable(AwsCall call) =>
        new(new AwsFault(AwsFaultKind.Unreachable, call, new AwsError(AwsErrorSource.Network, null, null, "Connection refused (rds.eu-west-1.amazonaws.com:443)"), TimeSpan.FromSeconds(4.2)));

    private static AwsFaultException Denied(AwsCall call, string message) =>
        new(new AwsFault(AwsFaultKind.Denied, call, new AwsError(AwsErrorSource.Response, "AccessDeniedException", 400, message), TimeSpan.FromSeconds(0.1)));

    private static AwsFaultException Throttled(AwsCall call) =>
        new(new AwsFault(AwsFaultKind.Throttled, call, new AwsError(AwsErrorSource.Response, "ThrottlingException", 400, "Rate exceeded"), TimeSpan.FromSeconds(12)));

    /// <summary>Runs the program and returns what it threw and what it registered.</summary>
    private static async Task<(Exception Error, RecordingMocks Mocks)> FailingUpAsync(string stack, Dictionary<string, string> config, IPreflightFactsSource preflight, IPoolStateSource? pools = null)
    {
        var mocks = new RecordingMocks();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Deployment.TestAsync(mocks, new TestOptions { ProjectName = "qa-db", StackName = stack },
            () => QaDatabaseProgram.RunAsync(config, preflight, Now, pools)));
        return (error, mocks);
    }

    /// <summary>The RunException Pulumi would print (Deployment.TestAsync may wrap it).</summary>
    private static RunException RunExceptionIn(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is RunException run)
            {
                return run;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.OfType<RunException>().FirstOrDefault() is { } inner)
            {
                return inner;
            }
        }

        throw new Xunit.Sdk.XunitException($"expected a RunException, got: {error}");
    }

    private static void AssertNothingDeclared(RecordingMocks mocks) => Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");

    [Fact]
    public async Task A_preflight_that_cannot_reach_RDS_fails_naming_the_preflight_key_and_how_to_skip_it()
    {
        var call = AwsCall.Rds("eu-west-1", "DescribeDBClusters", "cluster:prod-orders", "source cluster prod-orders");

        var (error, mocks) = await FailingUpAsync("pr-123", ProgramRun.Config(), new FailingPreflight(Unreachable(call)));

        var message = RunExceptionIn(error).Message;
        Assert.StartsWith(
            "qa-db:preflight (true): could not read source cluster prod-orders: cannot reach RDS in eu-west-1 (Connection refused (rds.eu-west-1.amazonaws.com:443)) "
            + "for rds:DescribeDBClusters on source cluster prod-orders; the SDK retried for 4.2 s.",
            message, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was declared. To deploy without the preflight, set qa-db:preflight to false (its checks, the environment cap included, are then skipped).", message, StringComparison.Ordinal);
        AssertNothingDeclared(mocks);
    }

    [Fact]
    public async Task A_denied_preflight_read_names_the_ReadOnly_statement_of_the_deployer_policy()
    {
        var call = AwsCall.Rds("eu-west-1", "DescribeDBClusters", "cluster:prod-orders", "source cluster prod-orders");
        var fault = Denied(call, "User: arn:aws:sts::123456789012:assumed-role/other/x is not authorized to perform: rds:DescribeDBClusters on resource: arn:aws:rds:eu-west-1:123456789012:cluster:prod-orders");

        var (error, mocks) = await FailingUpAsync("pr-123", ProgramRun.Config(), new FailingPreflight(fault));

        var message = RunExceptionIn(error).Message;
        Assert.StartsWith("qa-db:preflight (true): could not read source cluster prod-orders: AWS denied rds:DescribeDBClusters on arn:aws:rds:eu-west-1:123456789012:cluster:prod-orders", message, StringComparison.Ordinal);
        Assert.Contains("allows it in statement ReadOnly", message, StringComparison.Ordinal);
        AssertNothingDeclared(mocks);
    }

    [Fact]
    public async Task A_claiming_stack_whose_pool_read_is_denied_fails_naming_the_pool_key_and_the_PoolLeases_statement()
    {
        var call = AwsCall.Ssm("eu-west-1", "GetParametersByPath", "/qa-db/pools/qa-pool/members");
        var fault = Denied(call, "User: arn:aws:sts::123456789012:assumed-role/other/x is not authorized to perform: ssm:GetParametersByPath on resource: arn:aws:ssm:eu-west-1:123456789012:parameter/qa-db/pools/qa-pool/members");
        var preflight = new FakePreflight(FakePreflight.Healthy);

        var (error, mocks) = await FailingUpAsync("pr-9", ProgramRun.Config(("pool", "qa-pool")), preflight, new FailingPools(fault));

        var message = RunExceptionIn(error).Message;
        Assert.StartsWith("qa-db:pool (qa-pool): could not read pool qa-pool's state in SSM: AWS denied ssm:GetParametersByPath on arn:aws:ssm:eu-west-1:123456789012:parameter/qa-db/pools/qa-pool/members", message, StringComparison.Ordinal);
        Assert.Contains("allows it in statement PoolLeases", message, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was declared.", message, StringComparison.Ordinal);
        Assert.Equal(0, preflight.Calls);
        AssertNothingDeclared(mocks);
    }

    [Fact]
    public async Task A_pool_stack_whose_state_read_stays_throttled_fails_naming_poolSize()
    {
        var call = AwsCall.Ssm("eu-west-1", "GetParametersByPath", "/qa-db/pools/qa-pool/members");

        var (error, mocks) = await FailingUpAsync("qa-pool", ProgramRun.Config(("poolSize", "2")), new FakePreflight(FakePreflight.Healthy), new FailingPools(Throttled(call)));

        var message = RunExceptionIn(error).Message;
        Assert.StartsWith(
            "qa-db:poolSize (2): could not read pool qa-pool's state in SSM: SSM in eu-west-1 is still throttling ssm:GetParametersByPath on /qa-db/pools/qa-pool/members "
            + "after the SDK retried with backoff for 12 s (ThrottlingException: Rate exceeded). Wait a minute, then run `pulumi up` again.",
            message, StringComparison.Ordinal);
        AssertNothingDeclared(mocks);
    }

    [Fact]
    public async Task An_unexpected_error_in_a_read_is_not_dressed_up_as_an_AWS_fault()
    {
        var bug = new InvalidOperationException("a bug in the state source");

        var (error, _) = await FailingUpAsync("pr-9", ProgramRun.Config(("pool", "qa-pool")), new FakePreflight(FakePreflight.Healthy), new FailingPools(bug));

        Assert.Contains("a bug in the state source", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("could not read", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A preflight whose describe calls fail with the given exception.</summary>
    private sealed class FailingPreflight(Exception fault) : IPreflightFactsSource
    {
        public Task<PreflightFacts> ReadAsync(string sourceClusterIdentifier, string? targetSubnetGroupName, CancellationToken cancellationToken) =>
            Task.FromException<PreflightFacts>(fault);
    }

    /// <summary>A pool state source whose SSM reads fail with the given exception.</summary>
    private sealed class FailingPools(Exception fault) : IPoolStateSource
    {
        public Task<PoolState> ReadAsync(string pool, CancellationToken cancellationToken) => Task.FromException<PoolState>(fault);

        public Task<string?> ReadParameterAsync(string name, CancellationToken cancellationToken) => Task.FromException<string?>(fault);
    }
}
