using Pulumi;
using Pulumi.Aws.Rds;
using QaDatabases.Configuration;
using QaDatabases.Planning;
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
    /// <param name="databaseOptions">
    /// Options of the <see cref="QaDatabase"/> component, passed down to every child; tests use them to
    /// observe each child's resource options (dependencies, delete-before-replace, ignore-changes).
    /// </param>
    public static async Task<IDictionary<string, object?>> RunAsync(
        IReadOnlyDictionary<string, string> rawConfig, IPreflightFactsSource preflight, DateTimeOffset? now = null,
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
            if (settings.RunPreflight)
            {
                var facts = await preflight.ReadAsync(settings.SourceClusterIdentifier, settings.DbSubnetGroupName, CancellationToken.None);
                var result = PreflightCheck.Evaluate(settings, facts);
                if (!result.Passed)
                {
                    throw new PreflightFailedException(settings.SourceClusterIdentifier, result.Failures);
                }

                cloneGroupSize = result.ClustersInCloneGroup;
                Log.Info($"Preflight passed: '{settings.SourceClusterIdentifier}' can be cloned; {result.ClustersInCloneGroup} cluster(s) share its clone group.");
            }
            else
            {
                Log.Warn($"Preflight is off ({ConfigKeys.Project}:{ConfigKeys.Preflight.Name}=false): problems with the source surface only when AWS rejects the restore.");
            }

            var source = await GetCluster.InvokeAsync(new GetClusterArgs { ClusterIdentifier = settings.SourceClusterIdentifier });
            plan = EnvironmentPlanner.Plan(
                settings,
                new SourceCluster(
                    source.ClusterIdentifier, source.Engine, source.EngineVersion, source.Port, source.DbSubnetGroupName,
                    string.IsNullOrEmpty(source.DatabaseName) ? null : source.DatabaseName),
                projectDirectory);
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

        var database = new QaDatabase(plan.Names.Base, plan, databaseOptions);
        return new Dictionary<string, object?>
        {
            ["clusterIdentifier"] = database.ClusterIdentifier,
            ["endpoint"] = database.Endpoint,
            ["readerEndpoint"] = database.ReaderEndpoint,
            ["port"] = database.Port,
            ["databaseName"] = plan.DatabaseName,
            ["securityGroupId"] = database.SecurityGroupId,
            ["masterUserSecretArn"] = database.MasterUserSecretArn,
            ["ssmParameterNames"] = plan.Parameters.Select(p => p.Name).ToArray(),
            ["sourceCluster"] = plan.Source.Identifier,
            ["restoreMode"] = settings.Restore.Mode,
            ["cloneGeneration"] = settings.CloneGeneration,
            ["expiresAt"] = database.ExpiresAt,
            ["smokeCheckResult"] = database.SmokeCheckResult,
            ["cloneGroupSize"] = cloneGroupSize,
        };
    }
}
