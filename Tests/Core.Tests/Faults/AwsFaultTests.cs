using QaDatabases.Access;
using QaDatabases.Configuration;
using QaDatabases.Faults;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests.Faults;

/// <summary>How an AWS error is classified, which exit code it gets, and the line that explains it.</summary>
public class AwsFaultTests
{
    private static readonly AwsCall Lease = AwsCall.Ssm("eu-west-1", "PutParameter", "/qa-db/pools/qa-pool/members/2/lease");

    private static AwsFault Fault(AwsFaultKind kind, AwsError error, AwsCall? call = null, double seconds = 3.24) =>
        new(kind, call ?? Lease, error, TimeSpan.FromSeconds(seconds));

    private static AwsError Response(string code, int status, string message = "message") => new(AwsErrorSource.Response, code, status, message);

    private static PolicyDocument PoolPolicy(string pool = "qa-pool") => DeployerPolicy.Permissions(AccessScope.ForPools("eu-west-1", [pool]));

    [Theory]
    [InlineData(AwsErrorSource.Network, null, null, AwsFaultKind.Unreachable)]
    [InlineData(AwsErrorSource.Timeout, null, null, AwsFaultKind.TimedOut)]
    [InlineData(AwsErrorSource.Credentials, null, null, AwsFaultKind.NoCredentials)]
    [InlineData(AwsErrorSource.Region, null, null, AwsFaultKind.NoRegion)]
    [InlineData(AwsErrorSource.Response, "AccessDeniedException", 400, AwsFaultKind.Denied)]
    [InlineData(AwsErrorSource.Response, "AccessDenied", 403, AwsFaultKind.Denied)]
    [InlineData(AwsErrorSource.Response, "UnauthorizedOperation", 403, AwsFaultKind.Denied)]
    [InlineData(AwsErrorSource.Response, "SomethingNew", 403, AwsFaultKind.Denied)]
    [InlineData(AwsErrorSource.Response, "ExpiredTokenException", 400, AwsFaultKind.BadCredentials)]
    [InlineData(AwsErrorSource.Response, "ExpiredToken", 403, AwsFaultKind.BadCredentials)]
    [InlineData(AwsErrorSource.Response, "InvalidClientTokenId", 403, AwsFaultKind.BadCredentials)]
    [InlineData(AwsErrorSource.Response, "UnrecognizedClientException", 400, AwsFaultKind.BadCredentials)]
    [InlineData(AwsErrorSource.Response, "ThrottlingException", 400, AwsFaultKind.Throttled)]
    [InlineData(AwsErrorSource.Response, "Throttling", 400, AwsFaultKind.Throttled)]
    [InlineData(AwsErrorSource.Response, null, 429, AwsFaultKind.Throttled)]
    [InlineData(AwsErrorSource.Response, "InternalServerError", 500, AwsFaultKind.ServerError)]
    [InlineData(AwsErrorSource.Response, "ServiceUnavailable", 503, AwsFaultKind.ServerError)]
    public void An_error_AWS_or_the_network_can_cause_is_classified_by_its_source_code_and_status(AwsErrorSource source, string? code, int? status, AwsFaultKind expected) =>
        Assert.Equal(expected, AwsFaults.Classify(new AwsError(source, code, status, "message")));

    [Theory]
    [InlineData("ParameterAlreadyExists", 400)]
    [InlineData("ParameterNotFound", 400)]
    [InlineData("DBClusterNotFoundFault", 404)]
    [InlineData("ValidationException", 400)]
    public void An_answer_the_caller_handles_or_a_malformed_request_is_no_expected_fault(string code, int status) =>
        Assert.Null(AwsFaults.Classify(Response(code, status)));

    [Theory]
    [InlineData(AwsFaultKind.Unreachable, ExitCodes.Unavailable)]
    [InlineData(AwsFaultKind.TimedOut, ExitCodes.Unavailable)]
    [InlineData(AwsFaultKind.Throttled, ExitCodes.Unavailable)]
    [InlineData(AwsFaultKind.ServerError, ExitCodes.Unavailable)]
    [InlineData(AwsFaultKind.NoCredentials, ExitCodes.Denied)]
    [InlineData(AwsFaultKind.BadCredentials, ExitCodes.Denied)]
    [InlineData(AwsFaultKind.Denied, ExitCodes.Denied)]
    [InlineData(AwsFaultKind.NoRegion, ExitCodes.UsageError)]
    public void Each_kind_of_fault_has_its_exit_code(AwsFaultKind kind, int exitCode) => Assert.Equal(exitCode, AwsFaults.ExitCode(kind));

    [Fact]
    public void An_unreachable_service_is_named_with_its_region_the_call_and_how_long_the_SDK_tried()
    {
        var line = AwsFaults.Describe(Fault(AwsFaultKind.Unreachable, new AwsError(AwsErrorSource.Network, null, null, "Connection refused (127.0.0.1:1)")), PoolPolicy());

        Assert.Equal(
            "cannot reach SSM in eu-west-1 (Connection refused (127.0.0.1:1)) for ssm:PutParameter on /qa-db/pools/qa-pool/members/2/lease; "
            + "the SDK retried for 3.2 s. Check the network and the endpoint (AWS_ENDPOINT_URL, if set), then run the same command again.",
            line);
    }

    [Fact]
    public void Throttling_says_how_long_the_SDK_retried_in_whole_seconds_once_it_is_ten_or_more()
    {
        var line = AwsFaults.Describe(Fault(AwsFaultKind.Throttled, Response("ThrottlingException", 400, "Rate exceeded"), seconds: 27.6), PoolPolicy());

        Assert.Equal(
            "SSM in eu-west-1 is still throttling ssm:PutParameter on /qa-db/pools/qa-pool/members/2/lease after the SDK retried with backoff for 28 s "
            + "(ThrottlingException: Rate exceeded). Wait a minute, then run the same command again.",
            line);
    }

    [Fact]
    public void A_message_over_several_lines_becomes_one_line()
    {
        var line = AwsFaults.Describe(Fault(AwsFaultKind.ServerError, Response("InternalServerError", 500, "We encountered\n  an internal error.\r\n")), PoolPolicy());

        Assert.DoesNotContain('\n', line);
        Assert.Contains("(InternalServerError: We encountered an internal error.)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_credentials_name_every_place_the_SDK_looks_and_the_deployer_role()
    {
        var line = AwsFaults.Describe(Fault(AwsFaultKind.NoCredentials, new AwsError(AwsErrorSource.Credentials, null, null, "Failed to resolve AWS credentials")), PoolPolicy());

        Assert.StartsWith("no AWS credentials found for ssm:PutParameter on /qa-db/pools/qa-pool/members/2/lease (SSM in eu-west-1: Failed to resolve AWS credentials). ", line, StringComparison.Ordinal);
        foreach (var place in new[] { "AWS_ACCESS_KEY_ID", "aws-login", "AWS_PROFILE", "~/.aws/credentials", "AWS_WEB_IDENTITY_TOKEN_FILE", "OIDC", "instance roles", "qa-db-deployer", "\"Access: the deployer role\"" })
        {
            Assert.Contains(place, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_denial_names_what_AWS_refused_and_the_statement_of_the_deployer_policy_meant_to_allow_it()
    {
        var error = Response("AccessDeniedException", 400,
            "User: arn:aws:sts::123456789012:assumed-role/ci/run-7 is not authorized to perform: ssm:PutParameter on resource: "
            + "arn:aws:ssm:eu-west-1:123456789012:parameter/qa-db/pools/qa-pool/members/2/lease because no identity-based policy allows the ssm:PutParameter action");

        var line = AwsFaults.Describe(Fault(AwsFaultKind.Denied, error), PoolPolicy());

        Assert.StartsWith("AWS denied ssm:PutParameter on arn:aws:ssm:eu-west-1:123456789012:parameter/qa-db/pools/qa-pool/members/2/lease (AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ci/run-7 ", line, StringComparison.Ordinal);
        Assert.Contains("The deployer role's policy allows it in statement PoolLeases (printed by `qa-db policy`): run as the deployer role", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_denial_without_AWS_naming_the_resource_is_matched_with_the_call_itself()
    {
        var line = AwsFaults.Describe(Fault(AwsFaultKind.Denied, Response("AccessDenied", 403, "Access denied")), PoolPolicy());

        Assert.StartsWith("AWS denied ssm:PutParameter on arn:aws:ssm:eu-west-1:*:parameter/qa-db/pools/qa-pool/members/2/lease (AccessDenied: Access denied).", line, StringComparison.Ordinal);
        Assert.Contains("statement PoolLeases", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_denial_no_statement_of_the_deployer_policy_allows_is_called_a_bug_in_qa_db()
    {
        var line = AwsFaults.Describe(Fault(AwsFaultKind.Denied, Response("AccessDeniedException", 400, "denied")), PoolPolicy("another-pool"));

        Assert.EndsWith("No statement of the deployer role's policy (`qa-db policy`) allows it: that is a bug in qa-db; please report it with this line.", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_denial_the_deployer_policy_makes_on_purpose_names_its_deny_statement()
    {
        var policy = DeployerPolicy.Permissions(AccessScope.For([new QaStackConfig(Settings.Read(), "eu-west-1")], account: null));
        var call = AwsCall.Rds("eu-west-1", "ModifyDBCluster", "cluster:prod-orders", "prod-orders");

        var line = AwsFaults.Describe(Fault(AwsFaultKind.Denied, Response("AccessDenied", 403, "denied"), call), policy);

        Assert.Contains("denies it on purpose (statement DenyAllButReadAndRestoreOnSources", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_denied_preflight_read_names_the_ReadOnly_statement()
    {
        var policy = DeployerPolicy.Permissions(AccessScope.For([new QaStackConfig(Settings.Read(), "eu-west-1")], account: null));
        var call = AwsCall.Rds("eu-west-1", "DescribeDBClusters", "cluster:prod-orders", "prod-orders");

        var line = AwsFaults.Describe(Fault(AwsFaultKind.Denied, Response("AccessDenied", 403, "denied"), call), policy);

        Assert.Contains("allows it in statement ReadOnly", line, StringComparison.Ordinal);
    }

    [Fact]
    public void In_the_Pulumi_program_a_fault_names_the_config_key_says_nothing_was_declared_and_how_to_avoid_the_read()
    {
        var call = AwsCall.Rds("eu-west-1", "DescribeDBClusters", "cluster:prod-orders", "prod-orders");
        var fault = Fault(AwsFaultKind.Unreachable, new AwsError(AwsErrorSource.Network, null, null, "Name or service not known"), call);

        var message = AwsFaults.InProgram(ConfigKeys.Preflight, "true", "source cluster prod-orders", fault, policy: null, "Set qa-db:preflight to false to skip the preflight.");

        Assert.Equal(
            "qa-db:preflight (true): could not read source cluster prod-orders: cannot reach RDS in eu-west-1 (Name or service not known) for rds:DescribeDBClusters on prod-orders; "
            + "the SDK retried for 3.2 s. Check the network and the endpoint (AWS_ENDPOINT_URL, if set), then run `pulumi up` again. Nothing was declared. "
            + "Set qa-db:preflight to false to skip the preflight.",
            message);
    }

    [Theory]
    [InlineData("rds:Describe*", "rds:DescribeDBClusters", true, true)]
    [InlineData("ssm:putparameter", "ssm:PutParameter", true, true)]
    [InlineData("ssm:Get?arameter", "ssm:GetParameter", true, true)]
    [InlineData("ssm:GetParameter", "ssm:GetParameters", true, false)]
    [InlineData("arn:aws:ssm:eu-west-1:*:parameter/qa-db/pools/qa-pool/*", "arn:aws:ssm:eu-west-1:123456789012:parameter/qa-db/pools/qa-pool/members/1/lease", false, true)]
    [InlineData("arn:aws:ssm:eu-west-1:*:parameter/qa-db/pools/qa-pool/*", "arn:aws:ssm:eu-west-1:123456789012:parameter/qa-db/pools/QA-pool/members/1/lease", false, false)]
    [InlineData("arn:aws:rds:eu-west-1:*:cluster:qadb-*", "arn:aws:rds:eu-west-1:*:cluster:prod-orders", false, false)]
    public void Actions_match_IAM_wildcards_ignoring_case_and_resources_match_them_with_case(string pattern, string value, bool ignoreCase, bool matches) =>
        Assert.Equal(matches, PolicyEvaluation.Matches(pattern, value, ignoreCase));

    [Fact]
    public void A_NotAction_statement_covers_every_action_it_does_not_list()
    {
        var deny = new PolicyStatement { Sid = "D", Effect = PolicyEffect.Deny, NotActions = ["rds:Describe*"], Resources = ["arn:aws:rds:eu-west-1:*:cluster:prod"] };

        Assert.True(deny.Covers("rds:DeleteDBCluster", "arn:aws:rds:eu-west-1:123456789012:cluster:prod"));
        Assert.False(deny.Covers("rds:DescribeDBClusters", "arn:aws:rds:eu-west-1:123456789012:cluster:prod"));
        Assert.False(deny.Covers("rds:DeleteDBCluster", "arn:aws:rds:eu-west-1:123456789012:cluster:other"));
    }
}
