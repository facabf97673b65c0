using System.Net;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using QaDatabases.Aws;
using QaDatabases.Faults;

namespace QaDatabases.Tests.Faults;

/// <summary>
/// The SDK side: how the AWS SDK's exceptions reduce to an <see cref="AwsError"/>, and how its clients
/// are configured to retry and time out. (The same code against a real SDK client and a faulty
/// endpoint is exercised by <c>PoolFaultTests</c>.)
/// </summary>
public class AwsCallsTests
{
    private static readonly AwsCall Call = AwsCall.Ssm("eu-west-1", "GetParametersByPath", "/qa-db/pools/p/members");

    private static AmazonSimpleSystemsManagementException ServiceError(string code, HttpStatusCode status) =>
        new("message", null, ErrorType.Sender, code, "request-1", status);

    [Fact]
    public void An_error_response_keeps_its_code_and_status()
    {
        var error = AwsCalls.ErrorOf(ServiceError("ThrottlingException", HttpStatusCode.BadRequest), budgetSpent: false);

        Assert.Equal(new AwsError(AwsErrorSource.Response, "ThrottlingException", 400, "message"), error);
    }

    [Fact]
    public void A_refused_or_broken_connection_is_a_network_error()
    {
        Assert.Equal(AwsErrorSource.Network, AwsCalls.ErrorOf(new HttpRequestException("Connection refused (127.0.0.1:1)"), budgetSpent: false)?.Source);
        Assert.Equal(AwsErrorSource.Network, AwsCalls.ErrorOf(new IOException("The response ended prematurely."), budgetSpent: false)?.Source);
    }

    [Fact]
    public void An_attempt_timeout_and_a_spent_budget_are_timeouts()
    {
        Assert.Equal(AwsErrorSource.Timeout, AwsCalls.ErrorOf(new TimeoutException("The operation was canceled."), budgetSpent: false)?.Source);
        Assert.Equal(AwsErrorSource.Timeout, AwsCalls.ErrorOf(new OperationCanceledException(), budgetSpent: true)?.Source);
    }

    [Fact]
    public void The_credential_chain_failure_keeps_only_its_first_sentence()
    {
        var error = AwsCalls.ErrorOf(new AmazonClientException(
            "Failed to resolve AWS credentials. The credential providers used to search for credentials returned the following errors:\n\nException 1 of 4: ..."), budgetSpent: false);

        Assert.Equal(new AwsError(AwsErrorSource.Credentials, null, null, "Failed to resolve AWS credentials"), error);
    }

    [Fact]
    public void A_client_made_without_a_region_is_a_region_error()
    {
        Assert.Equal(AwsErrorSource.Region, AwsCalls.ErrorOf(new AmazonClientException("No RegionEndpoint or ServiceURL configured"), budgetSpent: false)?.Source);
    }

    [Fact]
    public void An_exception_that_is_no_AWS_error_is_not_reduced()
    {
        Assert.Null(AwsCalls.ErrorOf(new InvalidOperationException("a bug"), budgetSpent: false));
        Assert.Null(AwsCalls.ErrorOf(new ArgumentException("another bug"), budgetSpent: false));
    }

    [Fact]
    public async Task An_expected_fault_becomes_an_AwsFaultException_naming_the_call_with_the_SDKs_exception_inside()
    {
        var refused = new HttpRequestException("Connection refused (127.0.0.1:1)");

        var fault = await Assert.ThrowsAsync<AwsFaultException>(() =>
            AwsCalls.RunAsync<int>(Call, AwsClientSettings.FromEnvironment(_ => null), _ => throw refused, CancellationToken.None));

        Assert.Equal(AwsFaultKind.Unreachable, fault.Fault.Kind);
        Assert.Equal(Call, fault.Fault.Call);
        Assert.Same(refused, fault.InnerException);
    }

    [Fact]
    public async Task An_answer_the_caller_handles_and_a_bug_pass_through_unchanged()
    {
        var exists = new ParameterAlreadyExistsException("exists", null, ErrorType.Sender, "ParameterAlreadyExists", "request-1", HttpStatusCode.BadRequest);
        var bug = new InvalidOperationException("a bug");
        var settings = AwsClientSettings.FromEnvironment(_ => null);

        Assert.Same(exists, await Assert.ThrowsAsync<ParameterAlreadyExistsException>(() => AwsCalls.RunAsync<int>(Call, settings, _ => throw exists, CancellationToken.None)));
        Assert.Same(bug, await Assert.ThrowsAsync<InvalidOperationException>(() => AwsCalls.RunAsync<int>(Call, settings, _ => throw bug, CancellationToken.None)));
    }

    [Fact]
    public async Task A_call_that_outlasts_QA_DB_AWS_TIMEOUT_is_cancelled_and_reported_as_timed_out()
    {
        var settings = AwsClientSettings.FromEnvironment(name => name == AwsFaults.AwsTimeoutVariable ? "1" : null);

        var fault = await Assert.ThrowsAsync<AwsFaultException>(() =>
            AwsCalls.RunAsync(Call, settings, token => Task.Delay(Timeout.Infinite, token), CancellationToken.None));

        Assert.Equal(AwsFaultKind.TimedOut, fault.Fault.Kind);
        Assert.InRange(fault.Fault.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void By_default_clients_use_the_standard_retry_mode_with_five_attempts_and_short_timeouts()
    {
        var config = AwsClientSettings.FromEnvironment(_ => null).Apply(new AmazonSimpleSystemsManagementConfig());

        Assert.Equal(RequestRetryMode.Standard, config.RetryMode);
        Assert.Equal(4, config.MaxErrorRetry);
        Assert.Equal(TimeSpan.FromSeconds(10), config.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(5), config.ConnectTimeout);
    }

    [Fact]
    public void The_SDKs_own_AWS_MAX_ATTEMPTS_and_AWS_RETRY_MODE_are_left_to_the_SDK_when_set()
    {
        var settings = AwsClientSettings.FromEnvironment(name => name switch
        {
            "AWS_MAX_ATTEMPTS" => "8",
            "AWS_RETRY_MODE" => "adaptive",
            _ => null,
        });

        Assert.Null(settings.MaxAttempts);
        Assert.True(settings.RetryModeFromEnvironment);
    }

    [Fact]
    public void QA_DB_AWS_TIMEOUT_bounds_each_call_and_shortens_the_attempt_timeout_below_it()
    {
        var settings = AwsClientSettings.FromEnvironment(name => name == AwsFaults.AwsTimeoutVariable ? "4" : null);

        Assert.Equal(TimeSpan.FromSeconds(4), settings.CallTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), settings.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), settings.ConnectTimeout);
    }

    [Theory]
    [InlineData("30s")]
    [InlineData("0")]
    [InlineData("3601")]
    [InlineData("-5")]
    public void A_QA_DB_AWS_TIMEOUT_that_is_not_whole_seconds_from_1_to_3600_is_refused(string value)
    {
        var error = Assert.Throws<FormatException>(() => AwsClientSettings.FromEnvironment(name => name == AwsFaults.AwsTimeoutVariable ? value : null));

        Assert.StartsWith($"QA_DB_AWS_TIMEOUT '{value}': expected whole seconds from 1 to 3600", error.Message, StringComparison.Ordinal);
    }
}
