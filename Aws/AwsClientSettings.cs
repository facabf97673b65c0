using System.Globalization;
using Amazon.Runtime;
using QaDatabases.Faults;

namespace QaDatabases.Aws;

/// <summary>
/// How every AWS client of qa-db retries and times out, set in one place for the pool commands' SSM
/// client and the Pulumi program's RDS and SSM clients. The SDK does the retrying (its standard retry
/// mode: exponential backoff with jitter on throttling, 5xx and network errors); qa-db only bounds it:
/// <list type="bullet">
/// <item><c>AWS_RETRY_MODE</c>, <c>AWS_MAX_ATTEMPTS</c>: the SDK's own variables, honoured when set;
/// otherwise <c>standard</c> and <see cref="DefaultMaxAttempts"/> attempts per call.</item>
/// <item><c>QA_DB_AWS_TIMEOUT</c>: whole seconds one call may take, retries and backoff included
/// (default <see cref="DefaultCallTimeout"/>); an attempt gets at most <see cref="LongestAttempt"/>,
/// a connection at most <see cref="LongestConnect"/>.</item>
/// </list>
/// </summary>
public sealed class AwsClientSettings
{
    public const int DefaultMaxAttempts = 5;
    public const string MaxAttemptsVariable = "AWS_MAX_ATTEMPTS";
    public const string RetryModeVariable = "AWS_RETRY_MODE";
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan LongestAttempt = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan LongestConnect = TimeSpan.FromSeconds(5);
    private const int MaxCallTimeoutSeconds = 3600;

    private AwsClientSettings(TimeSpan callTimeout, int? maxAttempts, bool retryModeFromEnvironment)
    {
        CallTimeout = callTimeout;
        MaxAttempts = maxAttempts;
        RetryModeFromEnvironment = retryModeFromEnvironment;
    }

    /// <summary>The most one call may take, retries included: the bound on how long a command waits for AWS per call.</summary>
    public TimeSpan CallTimeout { get; }

    /// <summary>Attempts per call (the first and its retries); null when <c>AWS_MAX_ATTEMPTS</c> sets it for the SDK.</summary>
    public int? MaxAttempts { get; }

    /// <summary>Whether <c>AWS_RETRY_MODE</c> chooses the SDK's retry mode.</summary>
    public bool RetryModeFromEnvironment { get; }

    public TimeSpan AttemptTimeout => CallTimeout < LongestAttempt ? CallTimeout : LongestAttempt;

    public TimeSpan ConnectTimeout => CallTimeout < LongestConnect ? CallTimeout : LongestConnect;

    /// <summary>The settings from the process environment (or <paramref name="environment"/>, in tests).</summary>
    /// <exception cref="FormatException"><c>QA_DB_AWS_TIMEOUT</c> is not whole seconds from 1 to 3600.</exception>
    public static AwsClientSettings FromEnvironment(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var timeout = DefaultCallTimeout;
        if (environment(AwsFaults.AwsTimeoutVariable) is { Length: > 0 } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1 || seconds > MaxCallTimeoutSeconds)
            {
                throw new FormatException(
                    $"{AwsFaults.AwsTimeoutVariable} '{text}': expected whole seconds from 1 to {MaxCallTimeoutSeconds}, the most one AWS call may take with its retries (default {DefaultCallTimeout.TotalSeconds:0})");
            }

            timeout = TimeSpan.FromSeconds(seconds);
        }

        return new AwsClientSettings(
            timeout,
            string.IsNullOrEmpty(environment(MaxAttemptsVariable)) ? DefaultMaxAttempts : null,
            !string.IsNullOrEmpty(environment(RetryModeVariable)));
    }

    /// <summary>Applies the retry mode, attempts and timeouts to a client's config before the client is made.</summary>
    public TConfig Apply<TConfig>(TConfig config)
        where TConfig : ClientConfig
    {
        if (!RetryModeFromEnvironment)
        {
            config.RetryMode = RequestRetryMode.Standard;
        }

        if (MaxAttempts is { } attempts)
        {
            config.MaxErrorRetry = attempts - 1;
        }

        config.Timeout = AttemptTimeout;
        config.ConnectTimeout = ConnectTimeout;
        return config;
    }
}
