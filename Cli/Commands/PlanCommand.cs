using QaDatabases.Capacity;
using QaDatabases.Configuration;
using QaDatabases.Cost;
using QaDatabases.Expiry;
using QaDatabases.Golden;
using QaDatabases.Naming;
using QaDatabases.Hooks;
using QaDatabases.Planning;
using QaDatabases.Pool;
using QaDatabases.Preflight;
using QaDatabases.Tagging;

namespace QaDatabases.Cli.Commands;

/// <summary>
/// The offline equivalent of <c>pulumi preview</c>: validates a stack's config with the same code
/// the Pulumi program runs and lists what <c>pulumi up</c> would declare, with every input we decide.
/// Values only AWS knows (endpoints, ids) show as &lt;computed&gt;; the source's engine comes from
/// options, since the lookup needs AWS.
/// </summary>
internal sealed record PlanRequest(
    string Directory,
    string Stack,
    string Organization,
    string SourceEngine,
    string? SourceEngineVersion,
    int? SourcePort,
    string? SourceSubnetGroup,
    DateTimeOffset Now,
    string? ClustersFile = null);

internal static class PlanCommand
{
    public static async Task<int> RunAsync(PlanRequest request, TextWriter output)
    {
        var (directory, stack, organization, engine, engineVersion, sourcePort, sourceSubnetGroup, now, clustersFile) = request;
        var files = StackFiles.Read(directory, stack);
        var context = new StackContext(organization, files.ProjectName, stack);
        var settings = StackSettingsReader.Read(context, files.Config, now, directory, files.Encrypted);
        if (clustersFile is not null && !await CheckCapAsync(settings, clustersFile, now, output))
        {
            return ExitCodes.Rejected;
        }

        var source = new SourceCluster(
            settings.SourceClusterIdentifier,
            engine,
            engineVersion,
            sourcePort ?? 0,
            sourceSubnetGroup ?? "<the source's subnet group>",
            null);
        if (settings.Pool is PoolRole.ClaimFrom claim)
        {
            await output.WriteAsync(RenderClaim(settings, claim, files.AwsRegion));
            return 0;
        }

        if (settings.Golden is GoldenRole.Consumer consumer)
        {
            // Offline there is no record to read: the golden's cluster is named by what it stands for.
            settings = settings with { SourceClusterIdentifier = $"<the cluster golden stack {consumer.GoldenStack} records>" };
            source = source with { Identifier = settings.SourceClusterIdentifier };
        }

        var plan = EnvironmentPlanner.Plan(settings, source, directory);
        if (settings.Golden is GoldenRole.Golden)
        {
            plan = GoldenPlanner.Golden(plan, files.AwsRegion);
        }
        else if (settings.Golden is GoldenRole.Consumer from && settings.Pool is not PoolRole.PoolOf)
        {
            plan = GoldenPlanner.Consumer(plan, new GoldenSource(from.GoldenStack, settings.SourceClusterIdentifier, 0, settings.Masking.PolicyFingerprint ?? "", "", settings.CloneGeneration));
        }

        if (settings.Pool is PoolRole.PoolOf pool)
        {
            // Offline there is no pool state to read: the members are shown as a first `pulumi up`
            // makes them. Later runs read SSM and refill used and aged members.
            var decisions = PoolDecisions.Refill(PoolState.From(stack, []), pool.Size, pool.MaxAge, now, source.Identifier);
            await output.WriteAsync(RenderPool(plan, pool, PoolPlanner.Plan(settings, source, directory, decisions, files.AwsRegion), files.AwsRegion));
            return 0;
        }

        await output.WriteAsync(Render(plan, files.AwsRegion));
        return 0;
    }

    /// <summary>A pool stack: its members, each the clone an ordinary stack would make, published through the pool's ready records.</summary>
    internal static string RenderPool(EnvironmentPlan plan, PoolRole.PoolOf pool, IReadOnlyList<PoolMemberPlan> members, string? region)
    {
        var s = plan.Settings;
        var w = new StringWriter();
        w.WriteLine($"Stack {s.Context.QualifiedName}: configuration is valid; it is a pool of {pool.Size} member(s), re-cloned when used or older than {Expiry.ExpiryPolicy.FormatTtl(pool.MaxAge)}.");
        w.WriteLine(SourceLine(plan, region));
        w.WriteLine();
        w.WriteLine("`pulumi up` would declare (a first run; later runs refill used and aged members, never leased ones):");
        foreach (var member in members)
        {
            var m = member.Member;
            w.WriteLine($"  + qa-db:index:QaDatabase                     member {member.Decision.Number}");
            w.WriteLine($"      aws:rds/cluster:Cluster {m.Cluster.Identifier} (restored copy-on-write from {m.Cluster.SourceClusterIdentifier}), aws:rds/clusterInstance:ClusterInstance {m.Instance.Identifier} ({m.Instance.InstanceClass}),");
            w.WriteLine($"      aws:ec2/securityGroup:SecurityGroup {m.SecurityGroup.Name}{(m.Masking is null ? "" : $", {m.Masking.Name}")}{(m.SmokeCheck is null ? "" : ", smoke-check")}");
            w.WriteLine($"      tags: {string.Join(", ", m.Tags.Select(t => $"{t.Key}={t.Value}"))}");
            w.WriteLine($"  + aws:ssm/parameter:Parameter                {member.ReadyParameterName} (published after the member's hooks pass: claimable)");
        }

        w.WriteLine();
        if (plan.Masking is null)
        {
            w.WriteLine($"No masking: {ConfigKeys.AllowUnmaskedData.Name} is true, so members are published unmasked, and only stacks that set it too may claim them.");
        }
        else
        {
            w.WriteLine(plan.Settings.Golden is GoldenRole.Consumer
                ? "Each member's gate (no masking pass: its golden was masked once), before its ready record is written:"
                : "Each member's masking hook, before its ready record is written:");
            foreach (var line in MaskingLines(plan, RouteText(plan.Settings.Hooks)))
            {
                w.WriteLine($"  {line}");
            }
        }

        w.WriteLine();
        w.WriteLine("Outputs: poolSize, poolMaxAge, members (each with its masking), sourceCluster, ssmPath");
        if (s.DnsZoneId is not null)
        {
            w.WriteLine("Host names: none for pool members (not environments anyone connects to); a stack that claims one points its own names at it.");
        }

        w.WriteLine(CostLine(s.Sizing, pool.Size));
        w.WriteLine(CapLine(s));
        foreach (var warning in plan.Warnings)
        {
            w.WriteLine($"warning: {warning}");
        }

        return w.ToString();
    }

    /// <summary>A claiming stack: no cluster of its own, a lease on a pool member, and the same SSM names a clone has.</summary>
    internal static string RenderClaim(StackSettings s, PoolRole.ClaimFrom claim, string? region)
    {
        var w = new StringWriter();
        w.WriteLine($"Stack {s.Context.QualifiedName}: configuration is valid; it claims a ready member of pool {claim.PoolStack} in {region ?? "<aws:region not set>"} instead of cloning.");
        w.WriteLine();
        w.WriteLine("`pulumi up` would declare (no cluster, instance or security group of its own):");
        w.WriteLine($"  + command:local:Command                      claim");
        w.WriteLine($"      create: leases one free member atomically in SSM (qa-db pool claim); delete (pulumi destroy): marks it used and ends the lease");
        w.WriteLine(s.Masking.AllowUnmaskedData
            ? $"      takes members the pool published unmasked too ({ConfigKeys.AllowUnmaskedData.Name} is true)"
            : "      takes only members the pool masked; its masking output is what the member's masking hook reported");
        if (s.Hooks.RunsHooks)
        {
            w.WriteLine($"  + command:local:Command                      smoke-check");
            w.WriteLine($"      query: {s.Hooks.SmokeCheckQuery} on the claimed member (wakes it from pause; {HookScripts.ResumeConnectTimeoutSeconds} s connect timeout)");
        }

        foreach (var line in HostRecordLines(s, "the claimed member's writer endpoint", "its reader endpoint", "once the member is claimed"))
        {
            w.WriteLine(line);
        }

        foreach (var parameter in EnvironmentPlanner.PublishedParameters(s.SsmPrefix))
        {
            w.WriteLine($"  + aws:ssm/parameter:Parameter                {parameter.Name}");
        }

        w.WriteLine();
        w.WriteLine("Cost: no cluster of its own; the claimed member is billed to the pool.");
        w.WriteLine(claim.Fallback == PoolFallback.Clone
            ? "With no free member at `pulumi up`, it makes a fresh clone instead (poolFallback: clone)."
            : $"With no free member at `pulumi up`, it fails and says how to grow pool {claim.PoolStack} (poolFallback: fail).");
        return w.ToString();
    }

    /// <summary>The source as the plan knows it offline; the same line heads every kind of plan.</summary>
    private static string SourceLine(EnvironmentPlan plan, string? region) =>
        $"Source cluster {plan.Source.Identifier} ({plan.Source.Engine} {plan.Source.EngineVersion ?? "<version looked up at pulumi up>"}) in {region ?? "<aws:region not set>"}; it is only read, never managed.";

    internal static string Render(EnvironmentPlan plan, string? region)
    {
        var s = plan.Settings;
        var w = new StringWriter();
        w.WriteLine($"Stack {s.Context.QualifiedName}: configuration is valid.");
        w.WriteLine(SourceLine(plan, region));
        switch (s.Golden)
        {
            case GoldenRole.Golden g:
                w.WriteLine($"It is a golden: masked once, then recorded under {GoldenPaths.Ready(s.Context.Stack)} for other stacks to clone. `pulumi up` makes the generation");
                w.WriteLine($"its record calls for (cloneGeneration {s.CloneGeneration} on a first run; a new one when older than {Expiry.ExpiryPolicy.FormatTtl(g.MaxAge)}, or when the source or the policy changed),");
                w.WriteLine("next to the recorded one, which stays until an update runs after the record switched. Names below are those of the first generation.");
                break;
            case GoldenRole.Consumer consumer:
                w.WriteLine($"It clones the golden of stack {consumer.GoldenStack}, read from {GoldenPaths.Ready(consumer.GoldenStack)} at `pulumi up`; it keeps that golden generation until cloneGeneration is raised.");
                break;
        }

        w.WriteLine();
        w.WriteLine("`pulumi up` would declare:");

        void Resource(string type, string name, params string[] lines)
        {
            w.WriteLine($"  + {type,-42} {name}");
            foreach (var line in lines)
            {
                w.WriteLine($"      {line}");
            }
        }

        var tags = string.Join(", ", plan.Tags.Select(t => $"{t.Key}={t.Value}").Append($"{ResourceTags.ExpiresAt}=<{s.Expiry}>"));
        Resource("qa-db:index:QaDatabase", plan.Names.Base, "component that parents everything below");
        Resource("command:local:Command", "created-at", $"create: {Expiry.ExpiryPolicy.CreatedAtCommand} (runs once; the expiry is counted from it)");

        var ingress = new List<string>();
        ingress.AddRange(s.Ingress.Ipv4Cidrs.Concat(s.Ingress.Ipv6Cidrs).Select(c => $"ingress tcp/{plan.SecurityGroup.Port} from {c}"));
        ingress.AddRange(s.Ingress.SecurityGroupIds.Select(g => $"ingress tcp/{plan.SecurityGroup.Port} from security group {g}"));
        if (ingress.Count == 0)
        {
            ingress.Add("no ingress: nothing can connect");
        }

        Resource("aws:ec2/securityGroup:SecurityGroup", plan.SecurityGroup.Name,
            [$"name: {plan.SecurityGroup.Name}", $"vpcId: {plan.SecurityGroup.VpcId}", .. ingress, "egress: none", $"tags: {tags}"]);

        var c = plan.Cluster;
        var restoreAt = c.UseLatestRestorableTime ? "useLatestRestorableTime: true" : $"restoreToTime: {c.RestoreToTime}";
        var scaling = c.Serverless is { } sv
            ? $"serverlessv2ScalingConfiguration: min {sv.MinCapacity} ACU, max {sv.MaxCapacity} ACU" + (sv.SecondsUntilAutoPause is { } p ? $", pauses after {p}s idle" : "")
            : "serverlessv2ScalingConfiguration: none (provisioned instance)";
        Resource("aws:rds/cluster:Cluster", c.Identifier,
            $"clusterIdentifier: {c.Identifier}",
            $"engine: {c.Engine} (engineVersion: the source's)",
            $"restoreToPointInTime: sourceClusterIdentifier {c.SourceClusterIdentifier}, restoreType {c.RestoreType}, {restoreAt}",
            $"dbSubnetGroupName: {c.DbSubnetGroupName}",
            "vpcSecurityGroupIds: [the security group above]",
            scaling,
            $"manageMasterUserPassword: {Lower(ClusterPlan.ManageMasterUserPassword)}, skipFinalSnapshot: {Lower(ClusterPlan.SkipFinalSnapshot)}, deletionProtection: {Lower(ClusterPlan.DeletionProtection)}, copyTagsToSnapshot: {Lower(ClusterPlan.CopyTagsToSnapshot)}",
            $"options: deleteBeforeReplace (clone generation {s.CloneGeneration})" + (c.IgnoreChanges.Count > 0 ? $", ignoreChanges [{string.Join(", ", c.IgnoreChanges)}]" : ""),
            $"tags: {tags}");
        Resource("aws:rds/clusterInstance:ClusterInstance", plan.Instance.Identifier,
            $"instanceClass: {plan.Instance.InstanceClass}, publiclyAccessible: {Lower(InstancePlan.PubliclyAccessible)}, depends only on the cluster");

        var route = RouteText(s.Hooks);
        if (plan.Masking is { } masking)
        {
            Resource("command:local:Command", masking.Name, MaskingLines(plan, route));
        }

        foreach (var line in HostRecordLines(s, "the clone's writer endpoint", "its reader endpoint", plan.Masking is null ? "once the instance is available" : "once masking has passed"))
        {
            w.WriteLine(line);
        }

        if (plan.SmokeCheck is { } smoke)
        {
            var to = s.DnsZoneId is null ? "" : ", connecting to the writer's stable name";
            Resource("command:local:Command", smoke.Name, $"query: {s.Hooks.SmokeCheckQuery} via {route}{to}; its output is smokeCheckResult");
        }

        if (plan.GoldenRecord is { } record)
        {
            Resource("command:local:Command", "golden-record",
                $"qa-db golden publish: switches {GoldenPaths.Ready(record.GoldenStack)} to this clone (generation {record.Generation}, policy fingerprint {record.PolicyFingerprint[..12]}) in one atomic overwrite, after the hooks pass",
                "delete (pulumi destroy): qa-db golden withdraw, while the record still names this clone");
        }

        var after = plan.SmokeCheck is not null ? "after the hooks pass" : "once the instance is available";
        if (plan.Masking is null)
        {
            w.WriteLine($"  ! no masking: {ConfigKeys.AllowUnmaskedData.Name} is true, so the clone is published with the source's data as it is, personal data included");
        }

        foreach (var parameter in plan.Parameters)
        {
            Resource("aws:ssm/parameter:Parameter", parameter.Name, $"String: {parameter.Value}, published {after}");
        }

        w.WriteLine();
        if (s.Golden is GoldenRole.Golden)
        {
            w.WriteLine("Outputs: golden, goldenRefresh, goldenRecordParameter, retiringCluster, sourceCluster, masking, smokeCheckResult, expiresAt");
        }
        else
        {
            w.WriteLine("Outputs: clusterIdentifier, endpoint, readerEndpoint, host, readerHost, port, databaseName, securityGroupId, masterUserSecretArn,");
            w.WriteLine("         ssmParameterNames, sourceCluster, restoreMode, cloneGeneration, expiresAt, smokeCheckResult, masking, cloneGroupSize"
                + (s.Golden is GoldenRole.Consumer ? ", goldenSource" : ""));
        }

        w.WriteLine($"Restore: {s.Restore.Mode}; expiry: {s.Expiry}.");
        w.WriteLine(CostLine(s.Sizing, 1));
        w.WriteLine(CapLine(s));
        foreach (var warning in plan.Warnings)
        {
            w.WriteLine($"warning: {warning}");
        }

        return w.ToString();
    }

    /// <summary>
    /// The masking hook, step by step in the order it runs: the policy (path and fingerprint), the
    /// scripts after it, and the gate again after scripts; then when it re-runs.
    /// </summary>
    internal static string[] MaskingLines(EnvironmentPlan plan, string route)
    {
        var m = plan.Settings.Masking;
        var scripts = plan.Settings.Hooks.MaskingScripts;
        var both = m.PolicyPath is not null && scripts.Count > 0;
        var lines = new List<string>();
        if (plan.Settings.Golden is GoldenRole.Consumer consumer && m.PolicyPath is { } gated)
        {
            lines.Add($"qa-db masking check --verify-masked: policy {gated} (fingerprint {m.PolicyFingerprint![..12]}) via {route}: the gate alone, no masking pass (golden stack {consumer.GoldenStack} was masked once, under this same policy)");
            lines.Add("re-runs when the policy changes or the clone is replaced; a failure publishes nothing");
            return [.. lines];
        }

        if (m.PolicyPath is { } policy)
        {
            lines.Add($"{(both ? "1. " : "")}qa-db masking apply: policy {policy} (fingerprint {m.PolicyFingerprint![..12]}) via {route}: the gate (every column classified, no stale entry, each strategy fits its column), then the masking, each table verified before it commits");
            if (m.PolicyUsesHash)
            {
                lines.Add($"{(both ? "   " : "")}the policy uses hash: {ConfigKeys.MaskingSalt.Name} reaches it as a secret environment variable ({HookScripts.MaskingSaltVariable})");
            }
        }

        if (scripts.Count > 0)
        {
            lines.Add($"{(both ? "2. " : "")}runs {string.Join(", ", scripts)} with {(plan.Engine == EngineFamily.PostgreSql ? "psql" : "mysql")} via {route}, each in one transaction"
                + (both ? " (for what no strategy expresses)" : ""));
            lines.Add(both
                ? "3. qa-db masking check --verify-masked: the gate again, so nothing a script did is published unchecked"
                : "no gate: no policy classifies the columns the scripts do not mask");
        }

        var changes = string.Join(" or ", new[] { m.PolicyPath is null ? null : "the policy", scripts.Count > 0 ? "the SQL" : null }.OfType<string>());
        lines.Add($"re-runs when {changes} changes or the clone is replaced; a failure publishes nothing");
        return [.. lines];
    }

    private static string RouteText(HookSettings hooks) => HookSettings.RouteName(hooks.Route) + (hooks.BastionInstanceId is { } b ? $" through {b}" : "");

    private static string Lower(bool value) => value ? "true" : "false";

    /// <summary>
    /// The stable host names as <c>pulumi up</c> declares them. Offline the zone's name is not known
    /// (it is looked up by id at <c>pulumi up</c>), so the names show it as a placeholder.
    /// </summary>
    private static IEnumerable<string> HostRecordLines(StackSettings s, string writerTarget, string readerTarget, string when)
    {
        if (s.DnsZoneId is not { } zone)
        {
            yield break;
        }

        var names = ResourceNames.ForStack(s.Context.Stack, 1, s.ClonePrefix);
        var zoneName = $"<name of zone {zone}>";
        foreach (var (name, label, target) in new[] { ("host", names.WriterHostLabel, writerTarget), ("reader-host", names.ReaderHostLabel, readerTarget) })
        {
            yield return $"  + {"aws:route53/record:Record",-42} {name}";
            yield return $"      {label}.{zoneName} {Dns.HostRecordsPlan.RecordType} -> {target}, ttl {Dns.HostRecordsPlan.Ttl} s, written {when}; a new target is an in-place update";
        }
    }

    /// <summary>What the environment's compute costs per day, idle and active; a pool costs its members'.</summary>
    internal static string CostLine(InstanceSizing sizing, int clusters)
    {
        if (ComputeCost.For(sizing) is not { } cost)
        {
            return $"Cost per day: no price on record for {sizing.InstanceClass}; the price table ({Prices.Region} as of {Prices.AsOfText}) holds db.serverless, {string.Join(", ", Prices.PerInstanceHour.Keys)}. See {Prices.Source}.";
        }

        var total = clusters == 1 ? "" : $" for {clusters} members";
        return $"Cost per day{total}: idle {ComputeCost.Format(cost.IdlePerDay * clusters)}, active {ComputeCost.Format(cost.ActivePerDay * clusters)}"
            + $"{Environment.NewLine}      {cost.Basis}{(clusters == 1 ? "" : ", per member")}"
            + $"{Environment.NewLine}      {ComputeCost.PriceBasis}";
    }

    private static string CapLine(StackSettings s) =>
        $"Cap: a new environment is refused at `pulumi up` once {s.MaxEnvironments} clusters cloned from {s.SourceClusterIdentifier} exist, pool members included ({ConfigKeys.MaxEnvironments.Name}; check now with --clusters).";

    /// <summary>
    /// The cap against <c>aws rds describe-db-clusters --output json</c>, with the code <c>pulumi up</c>'s
    /// preflight runs. False, after printing why, when this stack would be refused.
    /// </summary>
    private static async Task<bool> CheckCapAsync(StackSettings settings, string file, DateTimeOffset now, TextWriter output)
    {
        IReadOnlyList<TaggedCluster> clusters;
        try
        {
            clusters = ExpiryReport.ParseDescribeDbClusters(file == "-" ? await Console.In.ReadToEndAsync() : await File.ReadAllTextAsync(file));
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or IOException)
        {
            throw new UsageException($"{file}: {e.Message}");
        }

        if (settings.Pool is PoolRole.ClaimFrom)
        {
            await output.WriteLineAsync("Cap: a claim adds no cluster; only a fallback clone (poolFallback: clone) is counted, at `pulumi up`.");
            return true;
        }

        var verdict = EnvironmentCap.Evaluate(settings, clusters);
        if (verdict.Refused)
        {
            await output.WriteLineAsync($"REFUSED [environment-cap] {EnvironmentCap.RefusalMessage(settings, verdict, now)}");
            return false;
        }

        await output.WriteLineAsync(
            $"Cap: {verdict.Existing} environment(s) cloned from {settings.SourceClusterIdentifier} exist, this stack adds {verdict.Adding}; {ConfigKeys.MaxEnvironments.Name} is {verdict.Max}.");
        return true;
    }
}
