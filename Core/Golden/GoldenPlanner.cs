using QaDatabases.Configuration;
using QaDatabases.Planning;

namespace QaDatabases.Golden;

/// <summary>
/// What a golden stack records once its masking and gate passed. The cluster and the data time (the
/// golden's creation, when it restored the source's latest restorable time) are known only once the
/// cluster exists; the Pulumi layer fills them in with <see cref="Record"/>.
/// </summary>
public sealed record GoldenRecordPlan(string GoldenStack, int Generation, string PolicyFingerprint, string SourceCluster)
{
    public GoldenRecord Record(string cluster, string dataTime) => new(cluster, Generation, PolicyFingerprint, dataTime.Trim(), SourceCluster);
}

/// <summary>Turns an ordinary clone's plan into a golden's or a golden consumer's: the same clone, with what each records.</summary>
public static class GoldenPlanner
{
    /// <summary>A golden: the clone (masked by its policy, gated, smoke-checked) and the record written after all of that.</summary>
    public static EnvironmentPlan Golden(EnvironmentPlan plan) => plan.Settings.Masking.PolicyFingerprint is { } fingerprint
        ? plan with { GoldenRecord = new(plan.Settings.Context.Stack, plan.Settings.CloneGeneration, fingerprint, plan.Source.Identifier) }
        : throw new InvalidOperationException($"A golden needs {ConfigKeys.MaskingPolicy.Name}; validation should have refused the config.");

    /// <summary>
    /// A clone of a golden: the plan made from <paramref name="source"/> (whose cluster the restore names),
    /// publishing that source under the stack's SSM prefix next to the endpoint. The next
    /// <c>pulumi up</c> reads it back and keeps the same source (<see cref="GoldenDecisions.ChooseSource"/>).
    /// </summary>
    public static EnvironmentPlan Consumer(EnvironmentPlan plan, GoldenSource source) => plan with
    {
        ClonedFrom = source,
        Parameters =
        [
            .. plan.Parameters,
            new ParameterPlan(GoldenDecisions.SourceParameterName(plan.Settings.SsmPrefix), PublishedValue.GoldenSource,
                $"The golden this clone was made from (stack {source.GoldenStack}); kept until cloneGeneration is raised"),
        ],
    };
}
