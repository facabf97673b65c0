using System.Globalization;
using QaDatabases.Configuration;
using QaDatabases.Hooks;
using QaDatabases.Planning;
using QaDatabases.Tagging;
using static QaDatabases.Hooks.ShippedCli;

namespace QaDatabases.Pool;

/// <summary>One member as the pool stack declares it: its clone, its ready record, and, for a refill, the lease commands around it.</summary>
public sealed record PoolMemberPlan(
    MemberDecision Decision,
    EnvironmentPlan Member,
    string ReadyParameterName,
    string? RefillLeaseCommand,
    string? RefillDoneCommand);

/// <summary>The commands a Pulumi <c>local.Command</c> runs for pool leases: the real <c>qa-db pool</c> CLI.</summary>
public static class PoolCommands
{
    /// <summary>
    /// The pool subcommand of the CLI the program ships (<see cref="ShippedCli"/>): built with the
    /// program, so a claim only runs it. Its stdout is the result; anything else goes to stderr.
    /// </summary>
    public static string Cli => ShippedCli.Run("pool");

    /// <summary>
    /// The claim, with the claiming stack's expiry as it is configured (a ttl counted from the claim,
    /// or a fixed time): text that stays the same on every <c>pulumi up</c>, so the command is not re-run.
    /// Only a stack that allows unmasked data (<paramref name="acceptUnmasked"/>) may be handed a
    /// member that was published unmasked.
    /// </summary>
    public static string Claim(string pool, string holder, string? region, Expiry.ExpiryPolicy expiry, bool acceptUnmasked = false) =>
        $"{Cli} claim --pool {Quote(pool)} --stack {Quote(holder)}{RegionOption(region)}" + expiry switch
        {
            Expiry.ExpiryPolicy.Fixed f => $" --expires-at {Quote(UtcTimestamp.Format(f.At))}",
            Expiry.ExpiryPolicy.TimeToLive t => $" --ttl {Quote(Expiry.ExpiryPolicy.FormatTtl(t.Ttl))}",
            _ => "",
        } + (acceptUnmasked ? " --allow-unmasked-data" : "");

    public static string Release(string pool, string holder, string? region) => $"{Cli} release --pool {Quote(pool)} --stack {Quote(holder)}{RegionOption(region)}";

    public static string RefillLease(string pool, int member, string? region) => $"{Cli} refill-lease --pool {Quote(pool)} --member {member.ToString(CultureInfo.InvariantCulture)}{RegionOption(region)}";

    public static string RefillDone(string pool, int member, string? region) => $"{Cli} refill-done --pool {Quote(pool)} --member {member.ToString(CultureInfo.InvariantCulture)}{RegionOption(region)}";
}

/// <summary>
/// Plans a pool stack's members: each the same clone an ordinary stack would make (instance, hooks,
/// scale-to-zero), named after the pool stack and the member number, under the generation the
/// refill decided, tagged with the pool, and published only through the pool's ready record.
/// </summary>
public static class PoolPlanner
{
    public static IReadOnlyList<PoolMemberPlan> Plan(
        StackSettings settings, SourceCluster source, string projectDirectory, IReadOnlyList<MemberDecision> decisions, string? region)
    {
        var pool = settings.Context.Stack;
        return decisions.Select(d =>
        {
            // Each member restores from the source its decision names: a kept member from the cluster it
            // was cloned from, so a new golden generation or source changes none of its inputs.
            var memberSettings = settings with
            {
                Context = settings.Context with { Stack = MemberStackName(pool, d.Number) },
                CloneGeneration = d.Generation,
                SourceClusterIdentifier = d.SourceCluster,
            };

            // The qa-db:stack tag names the pool stack: that is the stack `pulumi destroy` removes it with.
            var tags = new SortedDictionary<string, string>(ResourceTags.For(settings with { SourceClusterIdentifier = d.SourceCluster }).ToDictionary(), StringComparer.Ordinal)
            {
                [ResourceTags.Pool] = ResourceTags.SanitizeValue(pool),
                [ResourceTags.PoolMember] = d.Number.ToString(CultureInfo.InvariantCulture),
            };
            var member = EnvironmentPlanner.Plan(memberSettings, source with { Identifier = d.SourceCluster }, projectDirectory) with
            {
                Tags = tags,
                Parameters = [],
            };
            var refill = d.Action == RefillAction.Refill;
            return new PoolMemberPlan(
                d,
                member,
                PoolPaths.Ready(pool, d.Number),
                refill ? PoolCommands.RefillLease(pool, d.Number, region) : null,
                refill ? PoolCommands.RefillDone(pool, d.Number, region) : null);
        }).ToList();
    }

    /// <summary>The name a member's resources derive from: <c>{pool}-m{n}</c>, so cluster <c>{pool}-m{n}-db[-g{generation}]</c>.</summary>
    public static string MemberStackName(string pool, int member) => $"{pool}-m{member.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The ready record the pool stack writes for a member once its hooks passed, with what its
    /// masking hook reported (<paramref name="masking"/>) and whether it masked at all: a member the
    /// plan gives no masking hook (the pool allows unmasked data) is recorded unmasked.
    /// </summary>
    public static string ReadyRecord(
        EnvironmentPlan clone, int generation, string clusterIdentifier, string endpoint, string readerEndpoint, int port,
        string masterUserSecretArn, string masterUsername, string clusterResourceId, string securityGroupId, string createdAt, string masking) =>
        PoolJson.Write(new MemberReady(
            clusterIdentifier, endpoint, readerEndpoint, port, masterUserSecretArn, masterUsername, clusterResourceId,
            clone.DatabaseName, clone.Source.Engine, securityGroupId, clone.Source.Identifier, generation, createdAt.Trim(),
            masking.Trim(), Masked: clone.Masking is not null));
}
