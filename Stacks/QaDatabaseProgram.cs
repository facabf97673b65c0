using Pulumi;
using Pulumi.Aws.Rds;
using Pulumi.Aws.Route53;
using QaDatabases.Configuration;
using QaDatabases.Dns;
using QaDatabases.Faults;
using QaDatabases.Planning;
using QaDatabases.Pool;
using QaDatabases.Preflight;

namespace QaDatabases.Stacks;

/// <summary>
/// The program: validate every config key, check the source (preflight, then the read-only
/// <c>aws.rds.getCluster</c> lookup), decide the plan, and only then declare resources. Any input we
/// could have checked fails here, before the first resource exists.
/// </summary>
internal static class QaDatabaseProgram
{
    /// <param name="rawConfig">The stack's config keys as text (<see cref="StackConfig.Read"/>).</param>
    /// <param name="preflight">Where the preflight reads the source's facts.</param>
    /// <param name="now">The time config is validated at; tests fix it.</param>
    /// <param name="pools">Where pool state is read (SSM); needed only by pool and claiming stacks.</param>
    /// <param name="databaseOptions">
    /// Options of the component that declares the database (<see cref="QaDatabase"/>, or a claiming
    /// stack's <see cref="PoolClaim"/>), passed down to every child; tests use them to observe each
    /// child's resource options (dependencies, delete-before-replace, ignore-changes).
    /// </param>
    public static async Task<IDictionary<string, object?>> RunAsync(
        IReadOnlyDictionary<string, string> rawConfig, IPreflightFactsSource preflight, DateTimeOffset? now = null, IPoolStateSource? pools = null,
        ComponentResourceOptions? databaseOptions = null)
    {
        var deployment = Deployment.Instance;
        var context = new StackContext(deployment.OrganizationName, deployment.ProjectName, deployment.StackName);
        var projectDirectory = Directory.GetCurrentDirectory();

        StackSettings settings;
        EnvironmentPlan plan;
        int? cloneGroupSize = null;
        try
        {
            settings = StackSettingsReader.Read(context, rawConfig, now ?? DateTimeOffset.UtcNow, projectDirectory);
            var zone = await LookUpZoneAsync(settings);
            if (settings.Pool is PoolRole.ClaimFrom claimFrom)
            {
                // Read-only: which members are free. Nothing is leased until the claim command runs at `up`.
                var reading = $"pool {claimFrom.PoolStack}'s state in SSM";
                var state = await ReadAwsAsync(settings, ConfigKeys.Pool, claimFrom.PoolStack, reading,
                    () => RequirePools(pools).ReadAsync(claimFrom.PoolStack, CancellationToken.None));
                var published = await ReadAwsAsync(settings, ConfigKeys.Pool, claimFrom.PoolStack, reading,
                    () => RequirePools(pools).ReadParameterAsync(EnvironmentPlanner.ParameterName(settings.SsmPrefix, PublishedValue.ClusterIdentifier), CancellationToken.None));
                var acceptUnmasked = settings.Masking.AllowUnmaskedData;
                switch (PoolDecisions.ChooseForClaimer(state, context.QualifiedName, claimFrom.Fallback, published, acceptUnmasked))
                {
                    case ClaimerChoice.Claim:
                        return Claim(settings, claimFrom, HostNames.For(settings, zone), databaseOptions);
                    case ClaimerChoice.Fail:
                        throw new RunException($"{PoolDecisions.NoFreeMemberMessage(state, acceptUnmasked)}; or set {ConfigKeys.Project}:{ConfigKeys.PoolFallback.Name} to clone to make a fresh clone when the pool is empty. Nothing was declared.");
                    default:
                        Log.Warn(published is null
                            ? $"{PoolDecisions.NoFreeMemberMessage(state, acceptUnmasked)}. poolFallback is clone: making a fresh clone instead (15-20 minutes)."
                            : $"This stack runs its own clone {published}; it keeps it rather than claim from pool {claimFrom.PoolStack}. Destroy the stack to claim next time.");
                        break;
                }
            }

            if (settings.RunPreflight)
            {
                var facts = await ReadAwsAsync(settings, ConfigKeys.Preflight, "true", $"source cluster {settings.SourceClusterIdentifier}",
                    () => preflight.ReadAsync(settings.SourceClusterIdentifier, settings.DbSubnetGroupName, CancellationToken.None),
                    $"To deploy without the preflight, set {ConfigKeys.Project}:{ConfigKeys.Preflight.Name} to false (its checks, the environment cap included, are then skipped).");
                var result = PreflightCheck.Evaluate(settings, facts, now);
                if (!result.Passed)
                {
                    throw new PreflightFailedException(settings.SourceClusterIdentifier, result.Failures);
                }

                cloneGroupSize = result.ClustersInCloneGroup;
                Log.Info($"Preflight passed: '{settings.SourceClusterIdentifier}' can be cloned; {result.ClustersInCloneGroup} cluster(s) share its clone group."
                    + (result.Cap is { } cap ? $" {cap.Existing} environment(s) cloned from it exist, this stack adds {cap.Adding}; {ConfigKeys.MaxEnvironments.Name} is {cap.Max}." : ""));
            }
            else
            {
                Log.Warn($"Preflight is off ({ConfigKeys.Project}:{ConfigKeys.Preflight.Name}=false): problems with the source surface only when AWS rejects the restore, and {ConfigKeys.MaxEnvironments.Name} is not checked.");
            }

            var source = await GetCluster.InvokeAsync(new GetClusterArgs { ClusterIdentifier = settings.SourceClusterIdentifier });
            plan = EnvironmentPlanner.Plan(
                settings,
                new SourceCluster(
                    source.ClusterIdentifier, source.Engine, source.EngineVersion, source.Port, source.DbSubnetGroupName,
                    string.IsNullOrEmpty(source.DatabaseName) ? null : source.DatabaseName),
                projectDirectory,
                zone);
        }
        catch (Exception e) when (e is ConfigValidationException or PreflightFailedException)
        {
            // RunException: Pulumi prints the message alone, without a stack trace.
            throw new RunException(e.Message);
        }

        foreach (var warning in plan.Warnings)
        {
            Log.Warn(warning);
        }

        // Secret from the start: the masking hook's environment, where it goes, is stored encrypted.
        var maskingSalt = rawConfig.TryGetValue(ConfigKeys.MaskingSalt.Name, out var salt) && !string.IsNullOrEmpty(salt) ? Output.CreateSecret(salt) : null;
        if (settings.Pool is PoolRole.PoolOf poolOf)
        {
            return await DeclarePoolAsync(settings, poolOf, plan, RequirePools(pools), now ?? DateTimeOffset.UtcNow, projectDirectory, maskingSalt);
        }

        var database = new QaDatabase(plan.Names.Base, new QaDatabaseArgs { Plan = plan, MaskingSalt = maskingSalt }, databaseOptions);
        return new DatabaseOutputs(
            database.ClusterIdentifier, database.Endpoint, database.ReaderEndpoint, database.Host, database.ReaderHost, database.Port, plan.DatabaseName,
            database.SecurityGroupId, database.MasterUserSecretArn, plan.Parameters.Select(p => p.Name).ToArray(),
            plan.Source.Identifier, settings.Restore.Mode, settings.CloneGeneration, database.ExpiresAt, database.SmokeCheckResult,
            database.Masking, cloneGroupSize).ToDictionary();
    }

    /// <summary>
    /// Runs one of the program's read-only AWS calls. An expected AWS fault (unreachable, throttled
    /// past its retries, denied, no credentials) becomes one <see cref="RunException"/> naming the
    /// config key the read serves and, where there is one, the config that avoids it; Pulumi prints
    /// it without a stack trace (<c>QA_DB_DEBUG=1</c> adds the exception). Anything else is a bug and
    /// keeps its stack trace.
    /// </summary>
    private static async Task<T> ReadAwsAsync<T>(StackSettings settings, ConfigKey key, string value, string reading, Func<Task<T>> read, string? avoid = null)
    {
        try
        {
            return await read();
        }
        catch (AwsFaultException e)
        {
            var policy = AwsFaults.PolicyFor(settings, StackConfig.AwsRegion() ?? e.Fault.Call.Region);
            var message = AwsFaults.InProgram(key, value, reading, e.Fault, policy, avoid);
            throw new RunException(AwsFaults.DebugRequested(Environment.GetEnvironmentVariable) ? $"{message}{Environment.NewLine}{e}" : message);
        }
    }

    private static IPoolStateSource RequirePools(IPoolStateSource? pools) =>
        pools ?? throw new InvalidOperationException("This stack uses a pool, but the program was started without a pool state source.");

    /// <summary>
    /// The <c>dnsZoneId</c> zone as Route 53 describes it (<c>aws.route53.getZone</c>, read-only): its name
    /// is part of the record names. Null without a zone, and on a pool stack, whose members get no names.
    /// </summary>
    private static async Task<HostedZone?> LookUpZoneAsync(StackSettings settings)
    {
        if (settings.DnsZoneId is not { } id)
        {
            return null;
        }

        if (settings.Pool is PoolRole.PoolOf)
        {
            Log.Info($"{ConfigKeys.DnsZoneId.Name} is set, but pool members get no host names: a stack that claims one points its own names at it.");
            return null;
        }

        var zone = await GetZone.InvokeAsync(new GetZoneArgs { ZoneId = id });
        return new HostedZone(id, zone.Name, zone.PrivateZone == true);
    }

    private static Dictionary<string, object?> Claim(StackSettings settings, PoolRole.ClaimFrom role, HostRecordsPlan? hostRecords, ComponentResourceOptions? options)
    {
        var claim = new PoolClaim(settings.Context.Stack, settings, role, StackConfig.AwsRegion(), hostRecords, options);
        var outputs = new DatabaseOutputs(
            claim.ClusterIdentifier, claim.Endpoint, claim.ReaderEndpoint, claim.Host, claim.ReaderHost, claim.Port, claim.DatabaseName,
            claim.SecurityGroupId, claim.MasterUserSecretArn, claim.ParameterNames.ToArray(), claim.SourceCluster,
            claim.DataTime.Apply(t => $"pool {role.PoolStack} member, cloned {t} at the latest restorable time"),
            claim.Generation, claim.ExpiresAt, claim.SmokeCheckResult, claim.Masking, CloneGroupSize: null).ToDictionary();
        outputs["pool"] = role.PoolStack;
        outputs["poolMember"] = claim.Member;
        return outputs;
    }

    private static async Task<IDictionary<string, object?>> DeclarePoolAsync(
        StackSettings settings, PoolRole.PoolOf pool, EnvironmentPlan plan, IPoolStateSource pools, DateTimeOffset now, string projectDirectory,
        Output<string>? maskingSalt)
    {
        IReadOnlyList<PoolMemberPlan> members;
        try
        {
            // Read-only, so `pulumi preview` shows the refill without taking any lease.
            var state = await ReadAwsAsync(settings, ConfigKeys.PoolSize, pool.Size.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"pool {settings.Context.Stack}'s state in SSM", () => pools.ReadAsync(settings.Context.Stack, CancellationToken.None));
            var decisions = PoolDecisions.Refill(state, pool.Size, pool.MaxAge, now);
            members = PoolPlanner.Plan(settings, plan.Source, projectDirectory, decisions, StackConfig.AwsRegion());
        }
        catch (ConfigValidationException e)
        {
            throw new RunException(e.Message);
        }

        foreach (var m in members)
        {
            Log.Info($"member {m.Decision.Number}: {(m.Decision.Action == RefillAction.Refill ? $"refill as generation {m.Decision.Generation}" : "keep")} ({m.Decision.Reason})");
        }

        var component = new QaDatabasePool(settings.Context.Stack, members, maskingSalt);
        return new Dictionary<string, object?>
        {
            ["poolSize"] = pool.Size,
            ["poolMaxAge"] = Expiry.ExpiryPolicy.FormatTtl(pool.MaxAge),
            ["members"] = component.Members,
            ["sourceCluster"] = plan.Source.Identifier,
            ["ssmPath"] = PoolPaths.Members(settings.Context.Stack),
        };
    }
}
