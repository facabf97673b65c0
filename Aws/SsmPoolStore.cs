using System.Net;
using Amazon;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using QaDatabases.Pool;

namespace QaDatabases.Aws;

/// <summary>
/// A pool's parameters in SSM Parameter Store. The one write that decides who holds a member is
/// <see cref="TryCreateAsync"/>: <c>PutParameter</c> with <c>Overwrite=false</c>, which AWS performs
/// atomically (the second of two concurrent creates fails with <c>ParameterAlreadyExists</c>).
/// Nothing here reads a value and then writes based on it to decide ownership.
/// </summary>
public sealed class SsmPoolStore : IPoolStateSource, Golden.IGoldenRecordSource, IDisposable
{
    private readonly AmazonSimpleSystemsManagementClient _ssm;

    /// <summary>
    /// A client for <paramref name="region"/>, else the SDK's default region chain. The endpoint
    /// follows the SDK's own settings, including <c>AWS_ENDPOINT_URL</c> (how the tests point it at moto).
    /// </summary>
    public SsmPoolStore(string? region = null)
    {
        var config = new AmazonSimpleSystemsManagementConfig();
        if (!string.IsNullOrEmpty(region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        _ssm = new AmazonSimpleSystemsManagementClient(config);
    }

    /// <summary>Every parameter of the pool's members: read-only, safe in <c>pulumi preview</c>.</summary>
    public async Task<PoolState> ReadAsync(string pool, CancellationToken cancellationToken)
    {
        var parameters = new List<ObservedParameter>();
        string? next = null;
        do
        {
            var page = await _ssm.GetParametersByPathAsync(new GetParametersByPathRequest
            {
                Path = PoolPaths.Members(pool).TrimEnd('/'),
                Recursive = true,
                MaxResults = 10,
                NextToken = next,
            }, cancellationToken);
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
        var response = await _ssm.GetParametersAsync(new GetParametersRequest { Names = [.. names] }, cancellationToken);
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
            await _ssm.PutParameterAsync(new PutParameterRequest
            {
                Name = name,
                Value = value,
                Type = ParameterType.String,
                Overwrite = false,
            }, cancellationToken);
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
        _ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = value, Type = ParameterType.String, Overwrite = true }, cancellationToken);

    /// <summary>Deletes a parameter; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await _ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = name }, cancellationToken);
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

    private static ObservedParameter Observed(Parameter p) =>
        new(p.Name ?? "", p.Value ?? "", p.LastModifiedDate is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t.ToUniversalTime(), DateTimeKind.Utc)) : null);
}
