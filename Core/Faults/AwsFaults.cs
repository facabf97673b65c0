using System.Globalization;
using System.Text.RegularExpressions;
using QaDatabases.Access;
using QaDatabases.Configuration;

namespace QaDatabases.Faults;

/// <summary>
/// Every AWS fault qa-db expects, decided in one place: which kind it is, which exit code it gets,
/// and the one line that says what was being done, what AWS said and what to do. The SDK adapter
/// (<c>Aws/AwsCalls</c>) only reduces an exception to an <see cref="AwsError"/>; an error this
/// classification does not know stays an unexpected exception, with its stack trace.
/// </summary>
public static partial class AwsFaults
{
    /// <summary>Set to <c>1</c> to print an expected fault's full exception (stack trace included) after its line.</summary>
    public const string DebugVariable = "QA_DB_DEBUG";

    /// <summary>Where the AWS SDK looks for credentials, in its order, and which identity qa-db is meant to run as.</summary>
    public const string CredentialSources =
        "The AWS SDK looks for credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN; "
        + "Pulumi ESC's aws-login sets these), the shared profile (AWS_PROFILE, ~/.aws/credentials, ~/.aws/config), "
        + "a web identity token (AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE: Pulumi Deployments' or GitHub Actions' OIDC), "
        + "then container and instance roles. Run as the deployer role (qa-db-deployer unless the access stack's roleName says otherwise; "
        + "README: \"Access: the deployer role\").";

    // Error codes as AWS's JSON (SSM) and query (RDS, STS) protocols spell them.
    private static readonly HashSet<string> DeniedCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedException", "NotAuthorized",
    };

    private static readonly HashSet<string> CredentialCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId", "UnrecognizedClientException", "InvalidAccessKeyId",
        "InvalidSignatureException", "SignatureDoesNotMatch", "IncompleteSignature", "MissingAuthenticationToken", "AuthFailure",
        "InvalidToken",
    };

    // The codes the SDK's retry policy treats as throttling (plus HTTP 429).
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "RequestLimitExceeded", "RequestThrottled", "SlowDown", "BandwidthLimitExceeded", "PriorRequestNotComplete",
        "ProvisionedThroughputExceededException",
    };

    /// <summary>The kind of an expected fault; null for anything else (a bug, or an answer the caller handles, such as "parameter exists").</summary>
    public static AwsFaultKind? Classify(AwsError error) => error.Source switch
    {
        AwsErrorSource.Network => AwsFaultKind.Unreachable,
        AwsErrorSource.Timeout => AwsFaultKind.TimedOut,
        AwsErrorSource.Credentials => AwsFaultKind.NoCredentials,
        AwsErrorSource.Region => AwsFaultKind.NoRegion,
        _ when error.Code is { } code && CredentialCodes.Contains(code) => AwsFaultKind.BadCredentials,
        _ when error.Code is { } code && DeniedCodes.Contains(code) => AwsFaultKind.Denied,
        _ when (error.Code is { } code && ThrottlingCodes.Contains(code)) || error.HttpStatus == 429 => AwsFaultKind.Throttled,
        _ when error.HttpStatus >= 500 => AwsFaultKind.ServerError,
        _ when error.HttpStatus == 403 => AwsFaultKind.Denied,
        _ => null,
    };

    /// <summary>The exit code of a command that stopped at this fault (<see cref="ExitCodes"/>).</summary>
    public static int ExitCode(AwsFaultKind kind) => kind switch
    {
        AwsFaultKind.NoCredentials or AwsFaultKind.BadCredentials or AwsFaultKind.Denied => ExitCodes.Denied,
        AwsFaultKind.NoRegion => ExitCodes.UsageError,
        _ => ExitCodes.Unavailable,
    };

    /// <summary>
    /// The one line for a fault: what was being done, what AWS said, what to do. <paramref name="policy"/>
    /// is the deployer policy for what the command works on, so a denial names the statement meant to
    /// allow it (or says that none does: a bug in qa-db). <paramref name="again"/> is how to retry in
    /// the caller's words ("run the same command again", "run `pulumi up` again").
    /// </summary>
    public static string Describe(AwsFault fault, PolicyDocument? policy, string again = "run the same command again")
    {
        var call = fault.Call;
        var where = call.Region.Length > 0 ? $"{call.Service} in {call.Region}" : $"{call.Service} (no region set)";
        var what = $"{call.Action} on {call.Resource}";
        var said = Said(fault.Error);
        var tried = Seconds(fault.Elapsed);
        return fault.Kind switch
        {
            AwsFaultKind.Unreachable =>
                $"cannot reach {where} ({said}) for {what}; the SDK retried for {tried}. Check the network and the endpoint (AWS_ENDPOINT_URL, if set), then {again}.",
            AwsFaultKind.TimedOut =>
                $"{where} did not answer {what} within {tried} ({said}). Check the network, then {again}; {AwsTimeoutVariable} sets the time allowed per call.",
            AwsFaultKind.Throttled =>
                $"{where} is still throttling {what} after the SDK retried with backoff for {tried} ({said}). Wait a minute, then {again}.",
            AwsFaultKind.ServerError =>
                $"{where} kept failing {what} with HTTP {fault.Error.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "5xx"} after the SDK retried for {tried} ({said}): a fault on AWS's side. {Capitalized(again)} later.",
            AwsFaultKind.NoCredentials =>
                $"no AWS credentials found for {what} ({where}: {said}). {CredentialSources}",
            AwsFaultKind.BadCredentials =>
                $"AWS rejected the credentials in use for {what} ({where}: {said}): expired or not valid. {CredentialSources}",
            AwsFaultKind.Denied => Denied(fault, policy),
            AwsFaultKind.NoRegion =>
                $"no AWS region for {call.Service} ({said}): pass --region, or set AWS_REGION (a Pulumi stack sets aws:region).",
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault.Kind, "unknown fault kind"),
        };
    }

    /// <summary>
    /// The same fault in the Pulumi program, as one message naming the config key whose read failed
    /// (the preflight's <c>preflight</c>, a claiming stack's <c>pool</c>, a pool stack's <c>poolSize</c>)
    /// and, where there is one, the config that avoids the read (<paramref name="avoid"/>).
    /// </summary>
    public static string InProgram(ConfigKey key, string value, string reading, AwsFault fault, PolicyDocument? policy, string? avoid = null) =>
        $"{ConfigKeys.Project}:{key.Name} ({value}): could not read {reading}: {Describe(fault, policy, "run `pulumi up` again")} "
        + $"Nothing was declared.{(avoid is null ? "" : $" {avoid}")}";

    /// <summary>
    /// The deployer policy as the access program makes it for this stack alone (any account): what a
    /// denial in the program is matched against.
    /// </summary>
    public static PolicyDocument PolicyFor(StackSettings settings, string region) =>
        DeployerPolicy.Permissions(AccessScope.For([new QaStackConfig(settings, region)], account: null));

    /// <summary>The variable that sets how long one AWS call may take, retries included (read in Aws/AwsClientSettings).</summary>
    public const string AwsTimeoutVariable = "QA_DB_AWS_TIMEOUT";

    /// <summary>Whether <see cref="DebugVariable"/> asks for full exceptions.</summary>
    public static bool DebugRequested(Func<string, string?> environment) => environment(DebugVariable) is "1" or "true";

    private static string Denied(AwsFault fault, PolicyDocument? policy)
    {
        // AWS names what it refused ("... is not authorized to perform: ssm:PutParameter on resource: arn:...");
        // else the call is what was refused.
        var refused = NotAuthorized().Match(fault.Error.Message);
        var action = refused.Success ? refused.Groups["action"].Value : fault.Call.Action;
        var resource = refused.Success ? refused.Groups["resource"].Value.TrimEnd('.', ',', ';') : fault.Call.Arn;
        var head = $"AWS denied {action} on {resource} ({Said(fault.Error)}).";
        if (policy is null)
        {
            return $"{head} Compare the role in use with the deployer role's policy (`qa-db policy`).";
        }

        var covering = policy.Covering(action, resource);
        if (covering.FirstOrDefault(s => s.Effect == PolicyEffect.Deny && s.Conditions.Count == 0) is { } deny)
        {
            return $"{head} The deployer role's policy denies it on purpose (statement {deny.Sid}, printed by `qa-db policy`).";
        }

        if (covering.FirstOrDefault(s => s.Effect == PolicyEffect.Allow) is { } allow)
        {
            var conditions = allow.Conditions.Count == 0 ? "" : $" when {string.Join(" and ", allow.Conditions.Select(c => c.Key))} match";
            return $"{head} The deployer role's policy allows it in statement {allow.Sid}{conditions} (printed by `qa-db policy`): "
                + "run as the deployer role (README: \"Access: the deployer role\"), and if this stack's config changed since the role was made, run `pulumi up` on the access stack.";
        }

        return $"{head} No statement of the deployer role's policy (`qa-db policy`) allows it: that is a bug in qa-db; please report it with this line.";
    }

    private static string Said(AwsError error)
    {
        var message = OneLine(error.Message);
        return error.Code is { Length: > 0 } code ? $"{code}: {message}" : message;
    }

    /// <summary>AWS and the SDK write messages over several lines (the credential chain's, for one); a fault is one line.</summary>
    private static string OneLine(string text)
    {
        var line = Whitespace().Replace(text, " ").Trim();
        return line.Length <= 400 ? line : line[..399] + "…";
    }

    private static string Seconds(TimeSpan elapsed) =>
        elapsed.TotalSeconds < 10
            ? elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
            : Math.Round(elapsed.TotalSeconds).ToString(CultureInfo.InvariantCulture) + " s";

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    [GeneratedRegex(@"not authorized to perform:?\s*(?<action>[A-Za-z0-9-]+:[A-Za-z0-9*]+)\s+on resource:?\s*(?<resource>\S+)")]
    private static partial Regex NotAuthorized();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
