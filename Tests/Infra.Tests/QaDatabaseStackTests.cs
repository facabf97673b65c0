using System.Collections.Immutable;
using Pulumi;
using Pulumi.Testing;
using QaDatabases.Stacks;

namespace QaDatabases.Infra.Tests;

/// <summary>
/// What `pulumi up` declares for a stack, read from the inputs each resource is registered with.
/// </summary>
public class QaDatabaseStackTests
{
    private const string SourceIdentifier = ProgramRun.SourceIdentifier;

    private static Dictionary<string, string> Config(params (string Key, string Value)[] extra) => ProgramRun.Config(extra);

    private static async Task<(RecordingMocks Mocks, IDictionary<string, object?> Outputs)> UpAsync(
        Dictionary<string, string> config, bool preview = false, FakePreflight? preflight = null, string stack = "pr-123")
    {
        var run = await ProgramRun.UpAsync(config, preview, preflight, stack);
        return (run.Mocks, run.Outputs);
    }

    private static RegisteredResource Single(RecordingMocks mocks, string type) => Assert.Single(mocks.Resources, r => r.Type == type);

    private static ImmutableDictionary<string, object> Block(RegisteredResource resource, string key) =>
        (ImmutableDictionary<string, object>)resource.Inputs[key];

    private static Task<T> ValueAsync<T>(object? output) => QaDatabases.Testing.OutputValues.ValueAsync<T>(output);

    [Fact]
    public async Task The_cluster_is_restored_copy_on_write_from_the_source_at_the_latest_time()
    {
        var (mocks, _) = await UpAsync(Config());

        var cluster = Single(mocks, "aws:rds/cluster:Cluster");
        Assert.Equal("qadb-pr-123", cluster.Inputs["clusterIdentifier"]);
        Assert.Equal("aurora-postgresql", cluster.Inputs["engine"]);
        Assert.False(cluster.Inputs.ContainsKey("engineVersion"));
        var restore = Block(cluster, "restoreToPointInTime");
        Assert.Equal(SourceIdentifier, restore["sourceClusterIdentifier"]);
        Assert.Equal("copy-on-write", restore["restoreType"]);
        Assert.Equal(true, restore["useLatestRestorableTime"]);
        Assert.False(restore.ContainsKey("restoreToTime"));
        Assert.Equal("prod-private", cluster.Inputs["dbSubnetGroupName"]);
        Assert.Equal(true, cluster.Inputs["skipFinalSnapshot"]);
        Assert.Equal(false, cluster.Inputs["deletionProtection"]);
        Assert.Equal(true, cluster.Inputs["manageMasterUserPassword"]);
        Assert.Equal(true, cluster.Inputs["copyTagsToSnapshot"]);
        Assert.Equal(["sg-0aaaabbbbccccdddd"], ((IEnumerable<object>)cluster.Inputs["vpcSecurityGroupIds"]).Cast<string>());
        Assert.False(cluster.Inputs.ContainsKey("masterPassword"));
    }

    [Fact]
    public async Task A_chosen_restore_time_is_passed_instead_of_the_latest()
    {
        var (mocks, outputs) = await UpAsync(Config(("restoreTime", UtcTimestamp(DateTimeOffset.UtcNow.AddDays(-1)))));

        var restore = Block(Single(mocks, "aws:rds/cluster:Cluster"), "restoreToPointInTime");
        Assert.False(restore.ContainsKey("useLatestRestorableTime"));
        Assert.Matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", (string)restore["restoreToTime"]);
        Assert.StartsWith("point-in-time ", (string)outputs["restoreMode"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serverless_scales_to_zero_and_pauses_by_default()
    {
        var (mocks, _) = await UpAsync(Config());

        var scaling = Block(Single(mocks, "aws:rds/cluster:Cluster"), "serverlessv2ScalingConfiguration");
        Assert.Equal(0.0, Convert.ToDouble(scaling["minCapacity"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(4.0, Convert.ToDouble(scaling["maxCapacity"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(600, Convert.ToInt32(scaling["secondsUntilAutoPause"], System.Globalization.CultureInfo.InvariantCulture));
        var instance = Single(mocks, "aws:rds/clusterInstance:ClusterInstance");
        Assert.Equal("db.serverless", instance.Inputs["instanceClass"]);
        Assert.Equal("qadb-pr-123-1", instance.Inputs["identifier"]);
        Assert.Equal("qadb-pr-123", instance.Inputs["clusterIdentifier"]);
        Assert.Equal(false, instance.Inputs["publiclyAccessible"]);
    }

    [Fact]
    public async Task A_provisioned_class_has_no_serverless_configuration()
    {
        var (mocks, _) = await UpAsync(Config(("instanceClass", "db.t4g.medium")));

        Assert.False(Single(mocks, "aws:rds/cluster:Cluster").Inputs.ContainsKey("serverlessv2ScalingConfiguration"));
        Assert.Equal("db.t4g.medium", Single(mocks, "aws:rds/clusterInstance:ClusterInstance").Inputs["instanceClass"]);
    }

    [Fact]
    public async Task The_security_group_admits_only_the_configured_clients_on_the_port_and_has_no_egress()
    {
        var (mocks, _) = await UpAsync(Config());

        var group = Single(mocks, "aws:ec2/securityGroup:SecurityGroup");
        Assert.Equal("vpc-0a1b2c3d4e5f60718", group.Inputs["vpcId"]);
        Assert.Equal("qadb-pr-123", group.Inputs["name"]);
        var rules = ((IEnumerable<object>)group.Inputs["ingress"]).Cast<ImmutableDictionary<string, object>>().ToList();
        Assert.Equal(2, rules.Count);
        Assert.All(rules, r => Assert.Equal(("tcp", 5432, 5432), ((string)r["protocol"], Convert.ToInt32(r["fromPort"], System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt32(r["toPort"], System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(["10.40.0.0/16"], ((IEnumerable<object>)rules[0]["cidrBlocks"]).Cast<string>());
        Assert.Equal(["sg-0123456789abcdef0"], ((IEnumerable<object>)rules[1]["securityGroups"]).Cast<string>());
        Assert.False(group.Inputs.ContainsKey("egress"));
    }

    [Fact]
    public async Task Ssm_parameters_publish_the_endpoint_under_the_stack_prefix()
    {
        var (mocks, outputs) = await UpAsync(Config());

        var parameters = mocks.Resources.Where(r => r.Type == "aws:ssm/parameter:Parameter")
            .ToDictionary(r => (string)r.Inputs["name"], r => r.Inputs["value"]);
        Assert.Equal("qadb-pr-123.cluster-abc123.eu-west-1.rds.amazonaws.com", parameters["/qa/pr-123/db/endpoint"]);
        Assert.Equal("qadb-pr-123.cluster-ro-abc123.eu-west-1.rds.amazonaws.com", parameters["/qa/pr-123/db/reader-endpoint"]);
        Assert.Equal("5432", parameters["/qa/pr-123/db/port"]);
        Assert.Equal("qadb-pr-123", parameters["/qa/pr-123/db/cluster-identifier"]);
        Assert.Equal("arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-abc", parameters["/qa/pr-123/db/master-user-secret-arn"]);
        Assert.Equal(mocks.ClusterResourceId, parameters["/qa/pr-123/db/ready"]);
        // Without dnsZoneId, host is the endpoint: applications can read host either way.
        Assert.Equal("qadb-pr-123.cluster-abc123.eu-west-1.rds.amazonaws.com", parameters["/qa/pr-123/db/host"]);
        Assert.Equal("qadb-pr-123.cluster-ro-abc123.eu-west-1.rds.amazonaws.com", parameters["/qa/pr-123/db/reader-host"]);
        Assert.All(mocks.Resources.Where(r => r.Type == "aws:ssm/parameter:Parameter"), p => Assert.Equal("String", p.Inputs["type"]));
        Assert.Equal(parameters.Keys.Order(StringComparer.Ordinal), ((string[])outputs["ssmParameterNames"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_resource_carries_the_environment_tags_and_the_recorded_expiry()
    {
        var (mocks, outputs) = await UpAsync(Config());

        foreach (var resource in mocks.Resources.Where(r => r.Type.StartsWith("aws:", StringComparison.Ordinal)))
        {
            var tags = (ImmutableDictionary<string, object>)resource.Inputs["tags"];
            Assert.Equal("organization/qa-db/pr-123", tags["qa-db:stack"]);
            Assert.Equal(SourceIdentifier, tags["qa-db:source-cluster"]);
            Assert.Equal("qa-databases", tags["qa-db:created-by"]);
            Assert.Equal("team-orders", tags["qa-db:owner"]);
            Assert.Equal("123", tags["qa-db:pull-request"]);
            Assert.Equal("2026-11-27T10:00:00Z", tags["qa-db:expires-at"]);
        }

        Assert.Equal("2026-11-27T10:00:00Z", await ValueAsync<string>(outputs["expiresAt"]));
    }

    [Fact]
    public async Task Hooks_get_the_connection_by_environment_and_never_a_password()
    {
        var (mocks, outputs) = await UpAsync(Config(("connectionRoute", "direct"), ("maskingScripts", "[\"masking/postgres/01-mask-personal-data.sql\"]")));

        var masking = Assert.Single(mocks.Resources, r => r.Type == "command:local:Command" && r.Name == "masking");
        var environment = (ImmutableDictionary<string, object>)masking.Inputs["environment"];
        Assert.Equal("qadb-pr-123.cluster-abc123.eu-west-1.rds.amazonaws.com", environment["QA_DB_HOST"]);
        Assert.Equal("5432", environment["QA_DB_PORT"]);
        Assert.Equal("postgres", environment["QA_DB_USER"]);
        Assert.Equal("orders", environment["QA_DB_NAME"]);
        Assert.Equal("require", environment["QA_DB_SSLMODE"]);
        Assert.StartsWith("arn:aws:secretsmanager:", (string)environment["QA_DB_SECRET_ARN"], StringComparison.Ordinal);
        Assert.False(environment.ContainsKey("QA_DB_PASSWORD"));
        Assert.Contains("masking/postgres/01-mask-personal-data.sql", (string)masking.Inputs["create"], StringComparison.Ordinal);
        Assert.Equal(["/bin/bash", "-c"], ((IEnumerable<object>)masking.Inputs["interpreter"]).Cast<string>());
        var triggers = ((IEnumerable<object>)masking.Inputs["triggers"]).ToList();
        Assert.Equal(64, ((string)triggers[0]).Length);
        Assert.Equal(mocks.ClusterResourceId, triggers[^1]);
        Assert.Single(mocks.Resources, r => r.Type == "command:local:Command" && r.Name == "smoke-check");
        Assert.Equal("1", await ValueAsync<string>(outputs["smokeCheckResult"]));
    }

    [Fact]
    public async Task With_unmasked_data_allowed_and_no_route_no_hook_runs_and_the_masking_output_says_so_plainly()
    {
        var (mocks, outputs) = await UpAsync(ProgramRun.Unmasked());

        Assert.Equal(["created-at"], mocks.Resources.Where(r => r.Type == "command:local:Command").Select(r => r.Name));
        Assert.StartsWith("not run", await ValueAsync<string>(outputs["smokeCheckResult"]), StringComparison.Ordinal);
        Assert.StartsWith("UNMASKED: allowUnmaskedData is true", await ValueAsync<string>(outputs["masking"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_masking_command_applies_the_policy_with_the_shipped_cli_and_re_runs_only_when_the_policy_or_the_clone_changes()
    {
        var (mocks, _) = await UpAsync(Config());

        var masking = Assert.Single(mocks.Resources, r => r.Type == "command:local:Command" && r.Name == "masking");
        var create = (string)masking.Inputs["create"];
        Assert.Contains($"dotnet {QaDatabases.Hooks.ShippedCli.AssemblyPath} masking apply --policy 'masking/policy.yaml' --engine postgresql", create, StringComparison.Ordinal);
        Assert.DoesNotContain("--verify-masked", create, StringComparison.Ordinal);
        var policy = File.ReadAllText(Path.Combine(Directory.GetCurrentDirectory(), "masking", "policy.yaml"));
        Assert.Equal([QaDatabases.Masking.MaskingPolicy.Fingerprint(policy), mocks.ClusterResourceId], ((IEnumerable<object>)masking.Inputs["triggers"]).Cast<string>());
        var environment = (ImmutableDictionary<string, object>)masking.Inputs["environment"];
        Assert.False(environment.ContainsKey("QA_DB_MASKING_SALT"));
        Assert.False(environment.ContainsKey("QA_DB_CONNECTION"));
    }

    [Fact]
    public async Task Scripts_run_in_the_same_hook_after_the_policy_and_the_gate_checks_again()
    {
        var (mocks, _) = await UpAsync(Config(("maskingScripts", "[\"masking/postgres/01-mask-personal-data.sql\"]")));

        var create = (string)Assert.Single(mocks.Resources, r => r.Type == "command:local:Command" && r.Name == "masking").Inputs["create"];
        var apply = create.IndexOf("masking apply", StringComparison.Ordinal);
        var script = create.IndexOf("-f 'masking/postgres/01-mask-personal-data.sql'", StringComparison.Ordinal);
        var check = create.IndexOf("masking check --policy 'masking/policy.yaml' --engine postgresql --verify-masked", StringComparison.Ordinal);
        Assert.True(apply > 0 && script > apply && check > script, create);
    }

    [Fact]
    public async Task The_masking_output_is_the_summary_line_the_hook_printed()
    {
        var (_, outputs) = await UpAsync(Config());

        Assert.Equal(RecordingMocks.MaskingSummary, await ValueAsync<string>(outputs["masking"]));
    }

    [Fact]
    public async Task A_policy_that_hashes_gives_the_salt_to_the_masking_command_alone_and_as_a_secret()
    {
        const string Salt = "a-salt-of-more-than-16-characters";
        var run = await ProgramRun.UpAsync(Config(("maskingPolicy", HashingPolicy), ("maskingSalt", Salt)));

        var masking = run.OptionsOf("command:local:Command", "masking");
        Output<ImmutableDictionary<string, string>> environment = ((Pulumi.Command.Local.CommandArgs)masking.Args).Environment;
        Assert.Equal(Salt, (await ValueAsync<ImmutableDictionary<string, string>>(environment))["QA_DB_MASKING_SALT"]);
        Assert.True(await Output.IsSecretAsync(environment), "the masking command's environment holds the salt, so Pulumi must store it encrypted");
        Assert.DoesNotContain(Salt, (string)Assert.Single(run.Mocks.Resources, r => r.Name == "masking").Inputs["create"], StringComparison.Ordinal);
        var others = run.Mocks.Resources.Where(r => r.Type == "command:local:Command" && r.Name != "masking");
        Assert.All(others, r => Assert.False(r.Inputs.TryGetValue("environment", out var e) && ((ImmutableDictionary<string, object>)e).ContainsKey("QA_DB_MASKING_SALT"), r.Name));
        Assert.False(await Output.IsSecretAsync((Output<string>)run.Outputs["masking"]!), "the summary holds no secret and stays readable");
    }

    /// <summary>A policy with a hash column, relative to the project directory.</summary>
    private const string HashingPolicy = "Tests/Infra.Tests/Fixtures/hashing-policy.yaml";

    [Fact]
    public async Task The_source_is_only_looked_up_never_declared_read_or_imported()
    {
        var (mocks, outputs) = await UpAsync(Config());

        var (token, args) = Assert.Single(mocks.Calls);
        Assert.Equal("aws:rds/getCluster:getCluster", token);
        Assert.Equal(SourceIdentifier, args["clusterIdentifier"]);
        Assert.All(mocks.Resources, r => Assert.True(string.IsNullOrEmpty(r.Id), $"{r.Name} was read by id, not created"));
        Assert.DoesNotContain(mocks.Resources, r => r.Inputs.TryGetValue("clusterIdentifier", out var id) && Equals(id, SourceIdentifier));
        Assert.DoesNotContain(mocks.Resources, r => r.Inputs.TryGetValue("identifier", out var id) && Equals(id, SourceIdentifier));
        Assert.Equal(SourceIdentifier, outputs["sourceCluster"]);
        Assert.Equal(4, outputs["cloneGroupSize"]);
    }

    [Fact]
    public async Task Bad_config_fails_before_any_resource_is_declared()
    {
        var mocks = new RecordingMocks();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Deployment.TestAsync(mocks, new TestOptions { ProjectName = "qa-db", StackName = "pr-1" },
            () => QaDatabaseProgram.RunAsync(Config(("allowedCidrs", "[\"0.0.0.0/0\"]"), ("ttl", "forever")), new FakePreflight(FakePreflight.Healthy))));

        Assert.Contains("qa-db:allowedCidrs = '0.0.0.0/0'", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("qa-db:ttl = 'forever'", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
        Assert.Empty(mocks.Calls);
    }

    [Fact]
    public async Task A_failed_preflight_stops_the_program_before_the_lookup_and_any_resource()
    {
        var mocks = new RecordingMocks();
        var stopped = FakePreflight.Healthy with { Source = FakePreflight.Healthy.Source! with { Status = "stopped" } };
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Deployment.TestAsync(mocks, new TestOptions { ProjectName = "qa-db", StackName = "pr-1" },
            () => QaDatabaseProgram.RunAsync(Config(), new FakePreflight(stopped))));

        Assert.Contains("[source-available]", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
        Assert.Empty(mocks.Calls);
    }

    [Fact]
    public async Task Scale_to_zero_on_an_old_source_is_refused_naming_the_minimum_versions()
    {
        var mocks = new RecordingMocks { SourceEngineVersion = "15.4" };
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Deployment.TestAsync(mocks, new TestOptions { ProjectName = "qa-db", StackName = "pr-1" },
            () => QaDatabaseProgram.RunAsync(Config(), new FakePreflight(FakePreflight.Healthy))));

        Assert.Contains("15.7", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
    }

    [Fact]
    public async Task A_new_environment_beyond_the_cap_fails_before_any_resource_and_an_existing_ones_up_goes_ahead()
    {
        static QaDatabases.Expiry.TaggedCluster Clone(string stack) => new($"qadb-{stack}", new Dictionary<string, string>
        {
            ["qa-db:created-by"] = "qa-databases",
            ["qa-db:source-cluster"] = SourceIdentifier,
            ["qa-db:stack"] = $"organization/qa-db/{stack}",
        }, "available", DateTimeOffset.UtcNow.AddDays(-1));
        var atCap = FakePreflight.Healthy with { Clusters = [Clone("pr-1"), Clone("pr-2"), Clone("pr-123")] };

        var mocks = new RecordingMocks();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Deployment.TestAsync(mocks, new TestOptions { ProjectName = "qa-db", StackName = "pr-9" },
            () => QaDatabaseProgram.RunAsync(Config(("maxEnvironments", "3")), new FakePreflight(atCap))));
        var (existing, _) = await UpAsync(Config(("maxEnvironments", "3")), preflight: new FakePreflight(atCap));

        Assert.Contains("[environment-cap] 3 environment(s) cloned from 'prod-orders' exist", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("pulumi config set maxEnvironments 4", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
        Assert.Empty(mocks.Calls);
        Assert.Single(existing.Resources, r => r.Type == "aws:rds/cluster:Cluster");
    }

    [Fact]
    public async Task Preflight_can_be_turned_off()
    {
        var preflight = new FakePreflight(FakePreflight.Healthy);

        var (_, outputs) = await UpAsync(Config(("preflight", "false")), preflight: preflight);

        Assert.Equal(0, preflight.Calls);
        Assert.Null(outputs["cloneGroupSize"]);
    }

    private static string UtcTimestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
