using System.Net;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using QaDatabases.Faults;
using QaDatabases.Pool;

namespace QaDatabases.Aws;

/// <summary>
/// A pool's parameters in SSM Parameter Store. The one write that decides who holds a member is
/// <see cref="TryCreateAsync"/>: <c>PutParameter</c> with <c>Overwrite=false</c>, which AWS performs
/// atomically (the second of two concurrent creates fails with <c>ParameterAlreadyExists</c>).
/// Nothing here reads a value and then writes based on it to decide ownership.
/// Every call retries and times out as <see cref="AwsClientSettings"/> says, and an expected fault
/// surfaces as an <see cref="AwsFaultException"/> naming the call.
/// </summary>
public sealed class SsmPoolStore : IPoolStore, IDisposable
{
    private readonly AwsClient<AmazonSimpleSystemsManagementClient, AmazonSimpleSystemsManagementConfig> _ssm;

    /// <summary>
    /// A client for <paramref name="region"/>, else the SDK's default region chain. The endpoint
    /// follows the SDK's own settings, including <c>AWS_ENDPOINT_URL</c> (how the tests point it at moto).
    /// </summary>
    public SsmPoolStore(string? region = null, AwsClientSettings? settings = null) =>
        _ssm = new(region, settings ?? AwsClientSettings.FromEnvironment(), config => new AmazonSimpleSystemsManagementClient(config));

    /// <summary>Every parameter of the pool's members: read-only, safe in <c>pulumi preview</c>.</summary>
    public async Task<PoolState> ReadAsync(string pool, CancellationToken cancellationToken)
    {
        var path = PoolPaths.Members(pool).TrimEnd('/');
        var parameters = new List<ObservedParameter>();
        string? next = null;
        do
        {
            var page = await CallAsync("GetParametersByPath", path, (ssm, token) => ssm.GetParametersByPathAsync(new GetParametersByPathRequest
            {
                Path = path,
                Recursive = true,
                MaxResults = 10,
                NextToken = next,
            }, token), cancellationToken);
            parameters.AddRange((page.Parameters ?? []).Select(Observed));
            next = page.NextToken;
        }
        while (!string.IsNullOrEmpty(next));

        return PoolState.From(pool, parameters);
    }

    public async Task<string?> ReadParameterAsync(string name, CancellationToken cancellationToken) =>
        (await GetAsync([name], cancellationToken)).TryGetValue(name, out var parameter) ? parameter.Value : null;

    /// <summary>The named parameters that exist, by name.</summary>
    public async Task<IReadOnlyDictionary<string, ObservedParameter>> GetAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var response = await CallAsync("GetParameters", names[0], (ssm, token) => ssm.GetParametersAsync(new GetParametersRequest { Names = [.. names] }, token), cancellationToken);
        return (response.Parameters ?? []).Select(Observed).ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    /// <summary>
    /// Creates the parameter only if it does not exist, atomically in SSM. True: this call created it.
    /// False: it already existed, unless it holds exactly <paramref name="value"/> (then an SDK retry
    /// of our own create had already succeeded, and it is ours).
    /// </summary>
    public async Task<bool> TryCreateAsync(string name, string value, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync("PutParameter", name, (ssm, token) => ssm.PutParameterAsync(new PutParameterRequest
            {
                Name = name,
                Value = value,
                Type = ParameterType.String,
                Overwrite = false,
            }, token), cancellationToken);
            return true;
        }
        catch (ParameterAlreadyExistsException)
        {
            var existing = await GetAsync([name], cancellationToken);
            return existing.TryGetValue(name, out var parameter) && parameter.Value == value;
        }
    }

    /// <summary>Creates or replaces a parameter whose content no one competes for (a member's <c>used</c> mark, a seeded record).</summary>
    public Task PutAsync(string name, string value, CancellationToken cancellationToken) =>
        CallAsync("PutParameter", name, (ssm, token) => ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = value, Type = ParameterType.String, Overwrite = true }, token), cancellationToken);

    /// <summary>Deletes a parameter; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync("DeleteParameter", name, (ssm, token) => ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = name }, token), cancellationToken);
            return true;
        }
        catch (ParameterNotFoundException)
        {
            return false;
        }
        catch (AmazonSimpleSystemsManagementException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public void Dispose() => _ssm.Dispose();

    private Task<T> CallAsync<T>(string operation, string parameterName, Func<AmazonSimpleSystemsManagementClient, CancellationToken, Task<T>> send, CancellationToken cancellationToken) =>
        _ssm.CallAsync(AwsCall.Ssm(_ssm.Region, operation, parameterName), send, cancellationToken);

    private static ObservedParameter Observed(Parameter p) =>
        new(p.Name ?? "", p.Value ?? "", p.LastModifiedDate is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t.ToUniversalTime(), DateTimeKind.Utc)) : null);
}
