using Amazon;
using Amazon.Runtime;
using QaDatabases.Faults;

namespace QaDatabases.Aws;

/// <summary>
/// One AWS SDK client of qa-db (SSM for the pools, RDS for the preflight): configured by
/// <see cref="AwsClientSettings"/>, made at its first call so that a missing region is a fault of
/// that call rather than a crash, and every call run through <see cref="AwsCalls"/>.
/// </summary>
public sealed class AwsClient<TClient, TConfig> : IDisposable
    where TClient : AmazonServiceClient
    where TConfig : ClientConfig, new()
{
    private readonly string? _region;
    private readonly AwsClientSettings _settings;
    private readonly Lazy<TClient> _client;

    /// <param name="region">The region to call, else the SDK's default region chain (<c>AWS_REGION</c>, the profile).</param>
    /// <param name="settings">Retry mode, attempts and timeouts.</param>
    /// <param name="create">Makes the client from its config, e.g. <c>config =&gt; new AmazonRDSClient(config)</c>.</param>
    public AwsClient(string? region, AwsClientSettings settings, Func<TConfig, TClient> create)
    {
        _region = string.IsNullOrEmpty(region) ? null : region;
        _settings = settings;
        _client = new Lazy<TClient>(() =>
        {
            var config = settings.Apply(new TConfig());
            if (_region is not null)
            {
                config.RegionEndpoint = RegionEndpoint.GetBySystemName(_region);
            }

            return create(config);
        });
    }

    /// <summary>The region calls go to, for the fault line: the one given, else the one the SDK resolves ("" when none).</summary>
    public string Region =>
        _region ?? (_client.IsValueCreated ? _client.Value.Config.RegionEndpoint?.SystemName : null) ?? FallbackRegionFactory.GetRegionEndpoint()?.SystemName ?? "";

    /// <summary>Runs one call; an expected fault surfaces as an <see cref="AwsFaultException"/> naming <paramref name="call"/>.</summary>
    public Task<T> CallAsync<T>(AwsCall call, Func<TClient, CancellationToken, Task<T>> send, CancellationToken cancellationToken) =>
        AwsCalls.RunAsync(call, _settings, token => send(_client.Value, token), cancellationToken);

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }
}
