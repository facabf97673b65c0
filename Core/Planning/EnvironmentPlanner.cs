using QaDatabases.Capacity;
using QaDatabases.Configuration;
using QaDatabases.Dns;
using QaDatabases.Hooks;
using QaDatabases.Naming;
using QaDatabases.Restore;
using QaDatabases.Tagging;

namespace QaDatabases.Planning;

/// <summary>
/// Decides everything a stack declares from its validated settings and the source cluster's facts.
/// Rules that need the source (its engine, its version) are checked here, still before any
/// resource is declared.
/// </summary>
public static class EnvironmentPlanner
{
    /// <param name="settings">The validated stack settings.</param>
    /// <param name="source">The source cluster as the lookup (or, offline, the options) describe it.</param>
    /// <param name="projectDirectory">Where masking script paths are relative to.</param>
    /// <param name="zone">The <c>dnsZoneId</c> zone as Route 53 describes it; null offline or without one.</param>
    public static EnvironmentPlan Plan(StackSettings settings, SourceCluster source, string projectDirectory, HostedZone? zone = null)
    {
        var names = ResourceNames.ForStack(settings.Context.Stack, settings.CloneGeneration, settings.ClonePrefix);
        var problems = new List<ConfigProblem>();

        var family = EngineSupport.FamilyOf(source.Engine);
        if (family is null)
        {
            problems.Add(new(ConfigKeys.SourceCluster.Name, source.Identifier,
                $"runs engine '{source.Engine}'; only aurora-postgresql and aurora-mysql clusters can be cloned copy-on-write"));
        }

        if (string.Equals(names.ClusterIdentifier, source.Identifier, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(new(ConfigKeys.SourceCluster.Name, source.Identifier,
                $"is the identifier this stack would give its clone ({names.ClusterIdentifier}); use a stack with another name"));
        }

        if (settings.DbSubnetGroupName is null && string.IsNullOrWhiteSpace(source.DbSubnetGroupName))
        {
            // An empty subnet group would make RDS place the clone in the account's default VPC.
            problems.Add(new(ConfigKeys.DbSubnetGroupName.Name, null,
                $"is required here: the lookup of source cluster '{source.Identifier}' reported no DB subnet group to inherit"));
        }

        ServerlessScaling? serverless = null;
        if (settings.Sizing is InstanceSizing.Serverless s && family is { } engine)
        {
            serverless = s.Scaling;

            // Offline (EngineVersion null) there is no lookup; `pulumi up` checks the version before declaring anything.
            if (source.EngineVersion is { } version && !EngineSupport.SupportsServerless(engine, version))
            {
                problems.Add(new(ConfigKeys.InstanceClass.Name, ServerlessScaling.InstanceClass,
                    $"Aurora Serverless v2 needs {EngineSupport.ServerlessVersions}; the source runs {source.Engine} {source.EngineVersion}. Use a provisioned class such as db.t4g.medium"));
            }
            else if (source.EngineVersion is { } v && serverless.PausesWhenIdle && !EngineSupport.SupportsScaleToZero(engine, v))
            {
                problems.Add(new(ConfigKeys.ServerlessMinCapacity.Name, "0",
                    $"scaling to zero (auto-pause) needs {EngineSupport.ScaleToZeroVersions}; the source runs {source.Engine} {source.EngineVersion}. Set 0.5 or more"));
            }
        }

        if (problems.Count > 0 || family is null)
        {
            throw new ConfigValidationException(problems);
        }

        var engineFamily = family.Value;
        var port = source.Port > 0 ? source.Port : engineFamily == EngineFamily.PostgreSql ? 5432 : 3306;
        var inheritsSubnetGroup = settings.DbSubnetGroupName is null;
        var cluster = new ClusterPlan(
            names.ClusterIdentifier,
            source.Engine,
            source.Identifier,
            RestoreChoice.RestoreType,
            settings.Restore is RestoreChoice.LatestRestorableTime,
            (settings.Restore as RestoreChoice.PointInTime)?.RestoreToTime,
            settings.DbSubnetGroupName ?? source.DbSubnetGroupName,
            serverless,
            // An inherited subnet group is looked up from the source on every run; if the source
            // moves, the clone must not be silently re-cloned into the new one (dbSubnetGroupName
            // forces replacement). A configured one is the user's to change, so it is not ignored.
            inheritsSubnetGroup ? ["dbSubnetGroupName"] : []);

        var tags = ResourceTags.For(settings);
        var masking = MaskingHook(settings, engineFamily, projectDirectory);
        var smoke = settings.Hooks.RunsHooks
            ? new HookPlan(
                "smoke-check",
                HookScripts.SmokeCheck(engineFamily, settings.Hooks.Route),
                [settings.Hooks.SmokeCheckQuery, .. masking?.Triggers ?? []])
            : null;

        var warnings = new List<string>();
        if (source.EngineVersion is null)
        {
            warnings.Add("The source's engine version is not known offline: whether it allows Serverless v2 and scaling to zero is checked at `pulumi up`.");
        }

        if (settings.Ingress.AdmitsNobody)
        {
            warnings.Add("allowedCidrs and allowedSecurityGroupIds are empty: nothing can connect to the clone.");
        }

        if (masking is null)
        {
            warnings.Add($"{ConfigKeys.AllowUnmaskedData.Name} is true: the clone is published with the source's data unmasked, personal data included.");
        }
        else if (settings.Masking.PolicyPath is null)
        {
            warnings.Add($"No masking policy: only {string.Join(", ", settings.Hooks.MaskingScripts)} mask, and no gate checks that every column is classified, so a personal column a migration adds is published unmasked. Set {ConfigKeys.MaskingPolicy.Name}.");
        }

        return new EnvironmentPlan(
            settings,
            source,
            names,
            engineFamily,
            cluster,
            new InstancePlan(names.InstanceIdentifier, settings.Sizing.InstanceClass),
            new SecurityGroupPlan(
                names.SecurityGroupName,
                // EC2 replaces a group whose description changes, and the replacement is created before
                // the old group is deleted under the same name: so the description names only the stack,
                // never the source or the clone generation, which change on a live stack.
                $"Access to the QA database of stack {settings.Context.Stack}",
                settings.VpcId,
                port,
                settings.Ingress),
            PublishedParameters(settings.SsmPrefix),
            masking,
            smoke,
            settings.DatabaseName ?? source.DatabaseName ?? (engineFamily == EngineFamily.PostgreSql ? "postgres" : "mysql"),
            tags,
            warnings)
        {
            HostRecords = HostNames.For(settings, zone),
        };
    }

    /// <summary>
    /// The masking hook: the policy (applied, gated, verified), then the scripts, then the gate again.
    /// It re-runs when the policy or the scripts change (their fingerprints) or the clone is replaced
    /// (the Pulumi layer adds the cluster's resource id), and never otherwise. Null: nothing masks,
    /// which validation allows only with allowUnmaskedData.
    /// </summary>
    private static HookPlan? MaskingHook(StackSettings settings, EngineFamily engine, string projectDirectory)
    {
        var policy = settings.Masking.PolicyPath;
        var scripts = settings.Hooks.MaskingScripts;
        if (!settings.Hooks.RunsHooks || (policy is null && scripts.Count == 0))
        {
            return null;
        }

        if (settings.Golden is Golden.GoldenRole.Consumer && policy is not null)
        {
            // A clone of a golden is masked from its first second: no masking pass, only the gate. The
            // gate checks a hash column's shape, never recomputes it, so the salt stays with the golden.
            return new HookPlan("gate", HookScripts.Gate(engine, settings.Hooks.Route, policy), [settings.Masking.PolicyFingerprint!]);
        }

        var triggers = new List<string>();
        if (settings.Masking.PolicyFingerprint is { } policyFingerprint)
        {
            triggers.Add(policyFingerprint);
        }

        if (scripts.Count > 0)
        {
            triggers.Add(HookScripts.Fingerprint(scripts.Select(f => (f, File.ReadAllText(Path.Combine(projectDirectory, f))))));
        }

        return new HookPlan("masking", HookScripts.Masking(engine, settings.Hooks.Route, policy, scripts), triggers, settings.Masking.PolicyUsesHash);
    }

    /// <summary>
    /// The SSM parameters that publish a stack's database, the same for a fresh clone and a claimed
    /// pool member, so an application cannot tell the two apart.
    /// </summary>
    public static IReadOnlyList<ParameterPlan> PublishedParameters(string prefix) =>
    [
        new($"{prefix}endpoint", PublishedValue.WriterEndpoint, "Writer endpoint of the QA clone"),
        new($"{prefix}reader-endpoint", PublishedValue.ReaderEndpoint, "Reader endpoint of the QA clone"),
        new($"{prefix}port", PublishedValue.Port, "Port of the QA clone"),
        new($"{prefix}cluster-identifier", PublishedValue.ClusterIdentifier, "Cluster identifier of the QA clone"),
        new($"{prefix}master-user-secret-arn", PublishedValue.MasterUserSecretArn, "Secrets Manager ARN of the clone's own master user secret"),
        new($"{prefix}ready", PublishedValue.Ready, "Set once post-clone hooks passed: the resource id of the clone they ran on"),
        new($"{prefix}host", PublishedValue.Host, "Host to connect to: the stable name when dnsZoneId is set (it survives refreshes and claims), else the writer endpoint"),
        new($"{prefix}reader-host", PublishedValue.ReaderHost, "Reader host: the stable reader name when dnsZoneId is set, else the reader endpoint"),
    ];

    /// <summary>The name of the parameter that publishes <paramref name="value"/> under <paramref name="prefix"/>.</summary>
    public static string ParameterName(string prefix, PublishedValue value) => PublishedParameters(prefix).Single(p => p.Value == value).Name;
}
