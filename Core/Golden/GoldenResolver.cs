using QaDatabases.Configuration;

namespace QaDatabases.Golden;

/// <summary>
/// What a stack's golden role settles before anything is looked up or declared.
/// </summary>
/// <param name="Settings">The settings to plan with: a golden's generation decided, a consumer's source cluster chosen.</param>
/// <param name="LookupCluster">The cluster the preflight checks and the program looks up: the source, or the golden the record names now.</param>
/// <param name="ClonedFrom">A stack that clones a golden itself (not a pool): the golden generation it clones and records.</param>
/// <param name="Recorded">A golden's own record, or the record of the golden a stack clones; null when there is none.</param>
/// <param name="Refresh">A golden: which generation it declares and why.</param>
public sealed record GoldenResolution(StackSettings Settings, string LookupCluster, GoldenSource? ClonedFrom, GoldenRecord? Recorded, GoldenRefresh? Refresh);

/// <summary>
/// Reads the golden records a stack needs, read-only (so <c>pulumi preview</c> says the same as
/// <c>up</c>), and settles its golden role with <see cref="GoldenDecisions"/>.
/// </summary>
public static class GoldenResolver
{
    /// <exception cref="GoldenRejectedException">A golden a stack clones has no record, an unreadable one, or another policy.</exception>
    public static async Task<GoldenResolution> ResolveAsync(StackSettings settings, IGoldenRecordSource? records, DateTimeOffset now, CancellationToken cancellationToken)
    {
        IGoldenRecordSource Records() => records ?? throw new InvalidOperationException("This stack makes or clones a golden, but the program was started without a golden record source.");
        switch (settings.Golden)
        {
            case GoldenRole.Golden golden:
                {
                    var record = await Records().ReadRecordAsync(settings.Context.Stack, cancellationToken);
                    var refresh = GoldenDecisions.Refresh(record, settings.CloneGeneration, settings.SourceClusterIdentifier, Fingerprint(settings), golden.MaxAge, now);
                    return new(settings with { CloneGeneration = refresh.Generation }, settings.SourceClusterIdentifier, null, record, refresh);
                }

            case GoldenRole.Consumer consumer:
                {
                    var record = await Records().ReadRecordAsync(consumer.GoldenStack, cancellationToken);

                    // A pool follows the golden's current generation (its refill re-clones members of older
                    // ones); any other stack keeps the generation it was cloned from.
                    var published = settings.Pool is Pool.PoolRole.PoolOf ? null : await Records().ReadPublishedSourceAsync(settings.SsmPrefix, cancellationToken);
                    var source = GoldenDecisions.ChooseSource(consumer.GoldenStack, record, published, settings.CloneGeneration, Fingerprint(settings), settings.Masking.PolicyPath!);
                    return new(settings with { SourceClusterIdentifier = source.Cluster }, record!.Cluster, settings.Pool is Pool.PoolRole.PoolOf ? null : source, record, null);
                }

            default:
                return new(settings, settings.SourceClusterIdentifier, null, null, null);
        }
    }

    private static string Fingerprint(StackSettings settings) => settings.Masking.PolicyFingerprint
        ?? throw new InvalidOperationException($"A golden or a clone of one needs {ConfigKeys.MaskingPolicy.Name}; validation should have refused the config.");
}
