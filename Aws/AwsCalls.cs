using System.Diagnostics;
using System.Net.Sockets;
using Amazon.Runtime;
using QaDatabases.Faults;

namespace QaDatabases.Aws;

/// <summary>
/// Runs one AWS SDK call within its time budget and turns the faults qa-db expects into an
/// <see cref="AwsFaultException"/> naming the call. Anything else (an answer the caller handles, such
/// as "parameter already exists", or a bug) passes through unchanged.
/// </summary>
public static class AwsCalls
{
    public static async Task<T> RunAsync<T>(AwsCall call, AwsClientSettings settings, Func<CancellationToken, Task<T>> send, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(settings.CallTimeout);
        var clock = Stopwatch.StartNew();
        try
        {
            return await send(budget.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
            && ErrorOf(e, budget.IsCancellationRequested) is { } error && AwsFaults.Classify(error) is { } kind)
        {
            throw new AwsFaultException(new AwsFault(kind, call, error, clock.Elapsed), e);
        }
    }

    public static async Task RunAsync(AwsCall call, AwsClientSettings settings, Func<CancellationToken, Task> send, CancellationToken cancellationToken) =>
        await RunAsync(call, settings, async token =>
        {
            await send(token).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// What the SDK's exception says, reduced to an <see cref="AwsError"/>; null when it is no AWS
    /// error at all. <paramref name="budgetSpent"/>: the call's own time budget ran out.
    /// </summary>
    public static AwsError? ErrorOf(Exception exception, bool budgetSpent)
    {
        if (budgetSpent && exception is OperationCanceledException or TimeoutException or AmazonClientException or IOException or HttpRequestException)
        {
            return new AwsError(AwsErrorSource.Timeout, null, null, "the time allowed for the call ran out");
        }

        return exception switch
        {
            // A 200 whose body ended early: the connection broke mid-answer.
            AmazonUnmarshallingException broken => new AwsError(AwsErrorSource.Network, null, null, $"the answer broke off: {broken.Message}"),
            AmazonServiceException service when service.StatusCode != 0 || !string.IsNullOrEmpty(service.ErrorCode) =>
                new AwsError(AwsErrorSource.Response, service.ErrorCode, (int)service.StatusCode, service.Message),
            TimeoutException or TaskCanceledException => new AwsError(AwsErrorSource.Timeout, null, null, "every attempt timed out"),
            HttpRequestException or IOException or SocketException => new AwsError(AwsErrorSource.Network, null, null, exception.Message),
            AmazonClientException client when client.Message.Contains("credential", StringComparison.OrdinalIgnoreCase) =>
                new AwsError(AwsErrorSource.Credentials, null, null, FirstSentence(client.Message)),
            AmazonClientException client when client.Message.Contains("RegionEndpoint", StringComparison.Ordinal) =>
                new AwsError(AwsErrorSource.Region, null, null, FirstSentence(client.Message)),
            AmazonServiceException or AmazonClientException when exception.InnerException is { } inner => ErrorOf(inner, budgetSpent: false),
            _ => null,
        };
    }

    /// <summary>The SDK's credential-chain message lists every provider over many lines; its first sentence says what failed (QA_DB_DEBUG=1 shows the rest).</summary>
    private static string FirstSentence(string message) => message.Split('\n', 2)[0].Split(". ", 2)[0].Trim().TrimEnd('.');
}
