using System.Globalization;
using QaDatabases.Configuration;
using QaDatabases.Naming;

namespace QaDatabases.Golden;

/// <summary>Which generation a golden stack's <c>pulumi up</c> declares, and why.</summary>
/// <param name="Generation">The generation of the golden cluster to declare.</param>
/// <param name="Refreshes">True when that is a new golden, made next to the recorded one before the record switches to it.</param>
/// <param name="Reason">Why, in words for the log.</param>
public sealed record GoldenRefresh(int Generation, bool Refreshes, string Reason);

/// <summary>
/// Every golden decision, as pure functions over the records SSM holds: when a golden is refreshed, which
/// cluster a consumer clones, and what a consumer is told when it cannot.
/// </summary>
public static class GoldenDecisions
{
    /// <summary>The error when a consumer names a golden that has never passed its gate (or was destroyed).</summary>
    public static string MissingRecordMessage(string goldenStack) =>
        $"golden stack {goldenStack} has no ready record: run pulumi up --stack {goldenStack} first";

    /// <summary>
    /// The generation a golden stack declares. Without a record: <c>cloneGeneration</c>. With one, never a
    /// generation below the recorded one (a record is never switched back), and the next one when
    /// <c>cloneGeneration</c> is raised above it, or when the recorded golden no longer fits the stack:
    /// cloned from another source, masked under another policy, or older than <c>goldenMaxAge</c> (the
    /// scheduled refresh). Until that next generation has passed its gate, the record, and so every
    /// consumer, stays on the recorded one.
    /// </summary>
    public static GoldenRefresh Refresh(
        GoldenRecord? record, int cloneGeneration, string sourceCluster, string policyFingerprint, TimeSpan maxAge, DateTimeOffset now)
    {
        if (record is null)
        {
            return new(cloneGeneration, false, $"no ready record yet: generation {cloneGeneration} is recorded once its masking and gate pass");
        }

        if (cloneGeneration > record.Generation)
        {
            return new(cloneGeneration, true, $"cloneGeneration {cloneGeneration} is above the recorded generation {record.Generation}");
        }

        GoldenRefresh Next(string why) => record.Generation < ResourceNames.MaxGeneration
            ? new(record.Generation + 1, true, why)
            : throw new ConfigValidationException([new ConfigProblem(ConfigKeys.CloneGeneration.Name, cloneGeneration.ToString(CultureInfo.InvariantCulture),
                $"the golden is at generation {ResourceNames.MaxGeneration}, the last one its cluster identifiers allow, and needs a refresh ({why}); destroy the golden stack and bring it up again")]);

        if (!string.Equals(record.SourceCluster, sourceCluster, StringComparison.OrdinalIgnoreCase))
        {
            return Next($"the recorded golden {record.Cluster} was cloned from {record.SourceCluster}, not from sourceCluster {sourceCluster}");
        }

        if (record.PolicyFingerprint != policyFingerprint)
        {
            return Next($"the masking policy changed since {record.Cluster} was masked (fingerprint {Short(record.PolicyFingerprint)}, now {Short(policyFingerprint)})");
        }

        if (UtcTimestamp.TryParse(record.DataTime, out var dataTime) && now - dataTime >= maxAge)
        {
            return Next($"aged: data from {record.DataTime}, older than goldenMaxAge {Expiry.ExpiryPolicy.FormatTtl(maxAge)}");
        }

        return new(record.Generation, false, cloneGeneration < record.Generation
            ? $"keeps generation {record.Generation}, which a refresh recorded (cloneGeneration {cloneGeneration} is lower: a golden is never switched back)"
            : $"fresh: data from {record.DataTime}");
    }

    /// <summary>
    /// The golden cluster a consumer clones. A consumer that already has a clone of this golden keeps
    /// the source it recorded (<paramref name="published"/>) for as long as its <c>cloneGeneration</c> is
    /// the one it was cloned under: a refresh of the golden then changes none of its restore inputs, and
    /// Pulumi replaces nothing. Any other consumer (a new one, or one whose <c>cloneGeneration</c> was
    /// raised) clones the cluster the golden's record names now.
    /// Either way the golden must have a record (else <see cref="MissingRecordMessage"/>) and the source
    /// must have been masked under the consumer's own policy: a golden made under an older policy may
    /// hold columns the consumer's policy masks, so it is refused, saying what to refresh.
    /// </summary>
    /// <param name="goldenStack">The consumer's <c>sourceStack</c>.</param>
    /// <param name="record">The golden's ready record, null when SSM has none.</param>
    /// <param name="published">What the consumer recorded it was cloned from, null when it has no clone yet.</param>
    /// <param name="cloneGeneration">The consumer's <c>cloneGeneration</c>.</param>
    /// <param name="policyFingerprint">The fingerprint of the consumer's masking policy.</param>
    /// <param name="policyFile">The consumer's <c>maskingPolicy</c>, named in errors.</param>
    /// <exception cref="GoldenRejectedException">No record, or a policy mismatch.</exception>
    public static GoldenSource ChooseSource(
        string goldenStack, GoldenRecord? record, GoldenSource? published, int cloneGeneration, string policyFingerprint, string policyFile)
    {
        if (record is null)
        {
            throw new GoldenRejectedException(MissingRecordMessage(goldenStack));
        }

        var refreshGolden = $"refresh the golden so it is masked under this policy: pulumi up --stack {goldenStack} (a changed policy makes it re-clone and re-mask)";
        if (published is not null && published.GoldenStack == goldenStack && published.CloneGeneration == cloneGeneration)
        {
            if (published.PolicyFingerprint == policyFingerprint)
            {
                return published;
            }

            throw new GoldenRejectedException(
                $"this stack's clone was made from golden stack {goldenStack} generation {published.Generation} ({published.Cluster}), masked under another policy than {policyFile} "
                + $"(fingerprint {Short(published.PolicyFingerprint)}, {policyFile} has {Short(policyFingerprint)}); "
                + (record.PolicyFingerprint == policyFingerprint
                    ? $"re-clone it from the golden's generation {record.Generation}, which matches: pulumi config set {ConfigKeys.CloneGeneration.Name} {cloneGeneration + 1} && pulumi up"
                    : $"{refreshGolden}, then re-clone this stack: pulumi config set {ConfigKeys.CloneGeneration.Name} {cloneGeneration + 1} && pulumi up"));
        }

        if (record.PolicyFingerprint != policyFingerprint)
        {
            throw new GoldenRejectedException(
                $"golden stack {goldenStack} (generation {record.Generation}, {record.Cluster}) was masked under another policy than this stack's {policyFile} "
                + $"(fingerprint {Short(record.PolicyFingerprint)}, {policyFile} has {Short(policyFingerprint)}); {refreshGolden}, then run this stack again");
        }

        return new GoldenSource(goldenStack, record.Cluster, record.Generation, record.PolicyFingerprint, record.DataTime, cloneGeneration);
    }

    /// <summary>The name of the parameter a consumer records its source in, under its SSM prefix.</summary>
    public static string SourceParameterName(string ssmPrefix) => ssmPrefix + GoldenSource.ParameterLeaf;

    private static string Short(string fingerprint) => fingerprint.Length > 12 ? fingerprint[..12] : fingerprint;
}
