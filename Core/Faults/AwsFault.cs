namespace QaDatabases.Faults;

/// <summary>
/// What qa-db asked AWS to do: the service (as people name it, <c>SSM</c>), the region, the IAM
/// action (<c>ssm:PutParameter</c>), the resource as a person reads it (a parameter name, a cluster
/// identifier) and as IAM matches it (<see cref="Arn"/>, with <c>*</c> for an account not known here).
/// </summary>
public sealed record AwsCall(string Service, string Region, string Action, string Resource, string Arn)
{
    /// <summary>An SSM parameter (or, for <c>GetParametersByPath</c>, a path) by its name.</summary>
    public static AwsCall Ssm(string region, string operation, string parameterName) =>
        new("SSM", region, $"ssm:{operation}", parameterName, ArnOf("ssm", region, $"parameter{parameterName}"));

    /// <summary>An RDS resource by its ARN suffix (<c>cluster:prod-orders</c>, <c>subgrp:qa</c>), or <c>*</c> for an account-wide call.</summary>
    public static AwsCall Rds(string region, string operation, string resource, string display) =>
        new("RDS", region, $"rds:{operation}", display, resource == "*" ? "*" : ArnOf("rds", region, resource));

    private static string ArnOf(string service, string region, string resource) =>
        $"arn:{Access.AccessScope.PartitionOf(region)}:{service}:{region}:{Access.AccessScope.AnyAccount}:{resource}";
}

/// <summary>Where an error came from, as far as the classification needs to know.</summary>
public enum AwsErrorSource
{
    /// <summary>AWS answered with an error response: <see cref="AwsError.Code"/> and <see cref="AwsError.HttpStatus"/> say which.</summary>
    Response,

    /// <summary>No answer: the connection was refused, reset, or closed before the response.</summary>
    Network,

    /// <summary>No answer in time: an attempt's timeout, or the call's whole time budget.</summary>
    Timeout,

    /// <summary>The SDK found no credentials to sign the request with.</summary>
    Credentials,

    /// <summary>The SDK knows no region (and no endpoint) to send the request to.</summary>
    Region,
}

/// <summary>An error reduced to what <see cref="AwsFaults.Classify"/> needs: no SDK type, so Core decides.</summary>
public sealed record AwsError(AwsErrorSource Source, string? Code, int? HttpStatus, string Message);

/// <summary>The faults qa-db expects from AWS, each with its own exit code and advice.</summary>
public enum AwsFaultKind
{
    /// <summary>Connection refused, reset or lost (exit 4).</summary>
    Unreachable,

    /// <summary>No answer within the time allowed (exit 4).</summary>
    TimedOut,

    /// <summary>Still throttled once the SDK's retries are spent (exit 4).</summary>
    Throttled,

    /// <summary>AWS's own 5xx, still failing once the SDK's retries are spent (exit 4).</summary>
    ServerError,

    /// <summary>No credentials found at all (exit 5).</summary>
    NoCredentials,

    /// <summary>Credentials found, but AWS rejects them: expired, revoked, wrong account (exit 5).</summary>
    BadCredentials,

    /// <summary>The caller's identity may not do this (exit 5).</summary>
    Denied,

    /// <summary>No region to send the request to (exit 2: the command line or environment is incomplete).</summary>
    NoRegion,
}

/// <summary>One classified fault: what was being done, what kind of fault, what AWS said, and for how long the SDK tried.</summary>
public sealed record AwsFault(AwsFaultKind Kind, AwsCall Call, AwsError Error, TimeSpan Elapsed);

/// <summary>
/// An expected AWS fault, classified where the call was made (Aws/) and explained where the command
/// or the program knows its context (which policy, which config key). <see cref="LeftBehind"/> says
/// what a multi-step change left in AWS when it stopped, and how the same command finishes it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1032:Implement standard exception constructors",
    Justification = "Always carries a classified fault; a message alone would be an unclassified error, which this type exists to tell apart.")]
public sealed class AwsFaultException(AwsFault fault, Exception? innerException = null, string? leftBehind = null)
    : Exception($"{fault.Kind}: {fault.Call.Action} on {fault.Call.Resource} in {fault.Call.Region}: {fault.Error.Message}", innerException)
{
    public AwsFault Fault { get; } = fault;

    /// <summary>What the failed command left in AWS and how to finish it; null when it left nothing.</summary>
    public string? LeftBehind { get; } = leftBehind;

    /// <summary>The same fault, saying what the command left behind.</summary>
    public AwsFaultException WithLeftBehind(string left) => new(Fault, InnerException, left);
}
