using QaDatabases.Configuration;
using QaDatabases.Planning;

namespace QaDatabases.Golden;

/// <summary>
/// What a golden stack records once its masking and gate passed. The cluster and the data time (the
/// golden's creation, when it restored the source's latest restorable time) are known only once the
/// cluster exists; the Pulumi layer fills them in with <see cref="Record"/>.
/// </summary>
public sealed record GoldenRecordPlan(string GoldenStack, int Generation, string PolicyFingerprint, string SourceCluster, string? Region)
{
    public GoldenRecord Record(string cluster, string dataTime) => new(cluster, Generation, PolicyFingerprint, dataTime.Trim(), SourceCluster);

    /// <summary>The command that switches the record to this generation's <paramref name="cluster"/>.</summary>
    public string PublishCommand(string cluster, string dataTime) => GoldenCommands.Publish(GoldenStack, Record(cluster, dataTime), Region);

    /// <summary>The command that withdraws the record while it names <paramref name="cluster"/> (on destroy).</summary>
    public string WithdrawCommand(string cluster) => GoldenCommands.Withdraw(GoldenStack, cluster, Region);
}

/// <summary>One generation of a golden a golden stack declares.</summary>
/// <param name="Plan">Its clone.</param>
/// <param name="Retiring">
/// True: the generation the record still names while a newer one is made. It is declared as it was
/// (no hooks run on it again, nothing recorded) only so consumers can clone it until the record switches.
/// </param>
public sealed record GoldenGeneration(EnvironmentPlan Plan, bool Retiring);

/// <summary>Turns an ordinary clone's plan into a golden's or a golden consumer's: the same clone, with what each records.</summary>
public static class GoldenPlanner
{
    /// <summary>
    /// A golden: the clone (masked by its policy, gated, smoke-checked) and the record written after all
    /// of that. It publishes nothing under <c>ssmPrefix</c>: consumers find it through its record, and
    /// testers use their own clones. Its security group is named after the generation's cluster, so the
    /// next generation's group can exist next to it.
    /// </summary>
    public static EnvironmentPlan Golden(EnvironmentPlan plan, string? region) => plan.Settings.Masking.PolicyFingerprint is { } fingerprint
        ? Generation(plan) with { GoldenRecord = new(plan.Settings.Context.Stack, plan.Settings.CloneGeneration, fingerprint, plan.Source.Identifier, region) }
        : throw new InvalidOperationException($"A golden needs {ConfigKeys.MaskingPolicy.Name}; validation should have refused the config.");

    /// <summary>
    /// The generations a golden stack declares: the one it makes (or keeps), and, while its record still
    /// names an older one, that one too, exactly as it was made. The older one is not a replacement that
    /// Pulumi deletes at the end of this update: a refresh that fails after the new cluster exists would
    /// leave the old one pending deletion, and Pulumi deletes pending deletions first on the next update
    /// (pulumi/pulumi#9979), before the new golden could pass its gate, leaving consumers a record of a
    /// deleted cluster. Declared as its own resource instead, it stays until an update runs whose record
    /// no longer names it: the golden stack's next <c>pulumi up</c> after the switch deletes it.
    /// </summary>
    /// <param name="resolution">The golden's record and refresh decision.</param>
    /// <param name="plan">The plan of a stack's golden with the generation decided, from the source's facts.</param>
    /// <param name="projectDirectory">Where the masking files are.</param>
    /// <param name="region">The region the golden's record commands write to.</param>
    public static IReadOnlyList<GoldenGeneration> Generations(GoldenResolution resolution, EnvironmentPlan plan, string projectDirectory, string? region)
    {
        var current = new GoldenGeneration(Golden(plan, region), Retiring: false);
        if (resolution.Recorded is not { } recorded || recorded.Generation == plan.Settings.CloneGeneration)
        {
            return [current];
        }

        var settings = plan.Settings with { CloneGeneration = recorded.Generation, SourceClusterIdentifier = recorded.SourceCluster };
        var retiring = Generation(EnvironmentPlanner.Plan(settings, plan.Source with { Identifier = recorded.SourceCluster }, projectDirectory)) with
        {
            Masking = null,
            SmokeCheck = null,
            Warnings = [],
        };
        return [current, new GoldenGeneration(retiring, Retiring: true)];
    }

    private static EnvironmentPlan Generation(EnvironmentPlan plan) => plan with
    {
        Parameters = [],
        HostRecords = null,
        SecurityGroup = plan.SecurityGroup with { Name = plan.Names.ClusterIdentifier },
    };

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
