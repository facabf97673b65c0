using QaDatabases.Capacity;
using QaDatabases.Configuration;
using QaDatabases.Hooks;
using QaDatabases.Masking;
using QaDatabases.Planning;
using QaDatabases.Tagging;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

public class EnvironmentPlannerTests
{
    private static readonly SourceCluster Postgres16 = new("prod-orders", "aurora-postgresql", "16.4", 5432, "prod-private", "orders");

    private static EnvironmentPlan Plan(StackSettings settings, SourceCluster? source = null) =>
        EnvironmentPlanner.Plan(settings, source ?? Postgres16, Repo.Root);

    [Fact]
    public void The_cluster_is_a_copy_on_write_clone_that_destroys_cleanly()
    {
        var plan = Plan(Settings.Read());

        var c = plan.Cluster;
        Assert.Equal("qadb-qa-login-fix", c.Identifier);
        Assert.Equal("prod-orders", c.SourceClusterIdentifier);
        Assert.Equal("copy-on-write", c.RestoreType);
        Assert.True(c.UseLatestRestorableTime);
        Assert.Null(c.RestoreToTime);
        Assert.Equal("aurora-postgresql", c.Engine);
        Assert.Equal("prod-private", c.DbSubnetGroupName);
        Assert.Equal(["dbSubnetGroupName"], c.IgnoreChanges);
        Assert.True(ClusterPlan.SkipFinalSnapshot);
        Assert.False(ClusterPlan.DeletionProtection);
        Assert.True(ClusterPlan.ManageMasterUserPassword);
        Assert.False(InstancePlan.PubliclyAccessible);
        Assert.Equal(new InstancePlan("qadb-qa-login-fix-1", "db.serverless"), plan.Instance);
    }

    [Fact]
    public void Raising_the_clone_generation_changes_only_the_clone_identifiers()
    {
        var first = Plan(Settings.Read());
        var second = Plan(Settings.With(("cloneGeneration", "2")));

        Assert.Equal("qadb-qa-login-fix-g2", second.Cluster.Identifier);
        Assert.Equal("qadb-qa-login-fix-g2-1", second.Instance.Identifier);
        Assert.Equal(first.SecurityGroup with { Ingress = second.SecurityGroup.Ingress }, second.SecurityGroup);
        Assert.Equal(first.SecurityGroup.Ingress.Ipv4Cidrs, second.SecurityGroup.Ingress.Ipv4Cidrs);
        Assert.Equal(first.Parameters, second.Parameters);
        Assert.Equal(first.Cluster with { Identifier = second.Cluster.Identifier, IgnoreChanges = second.Cluster.IgnoreChanges }, second.Cluster);
        Assert.Equal(first.Cluster.IgnoreChanges, second.Cluster.IgnoreChanges);
    }

    [Theory]
    [InlineData("sourceCluster", "prod-billing")]
    [InlineData("cloneGeneration", "7")]
    [InlineData("restoreTime", "2026-11-20T08:00:00Z")]
    [InlineData("dbSubnetGroupName", "qa-subnets")]
    [InlineData("allowedCidrs", "[\"10.50.0.0/16\"]")]
    public void The_security_groups_name_and_description_depend_only_on_the_stack(string key, string value)
    {
        // EC2 replaces a group when its name or description changes, creating the new one first: with
        // the same name in the same VPC that would fail. Only vpcId (a new VPC, where the name is free)
        // may replace the group.
        var first = Plan(Settings.Read());
        var second = Plan(Settings.With((key, value)), Postgres16 with { Identifier = key == "sourceCluster" ? value : Postgres16.Identifier });

        Assert.Equal((first.SecurityGroup.Name, first.SecurityGroup.Description, first.SecurityGroup.VpcId),
            (second.SecurityGroup.Name, second.SecurityGroup.Description, second.SecurityGroup.VpcId));
        Assert.Equal("Access to the QA database of stack qa-login-fix", second.SecurityGroup.Description);
    }

    [Fact]
    public void A_source_that_reports_no_subnet_group_needs_one_configured()
    {
        var error = Assert.Throws<ConfigValidationException>(() => Plan(Settings.Read(), Postgres16 with { DbSubnetGroupName = "" }));

        Assert.Contains("qa-db:dbSubnetGroupName = (not set): is required here", error.Message, StringComparison.Ordinal);
        Assert.Equal("qa-subnets", Plan(Settings.With(("dbSubnetGroupName", "qa-subnets")), Postgres16 with { DbSubnetGroupName = "" }).Cluster.DbSubnetGroupName);
    }

    [Fact]
    public void The_managed_secret_arn_is_the_first_one_reported_and_its_absence_is_an_error_naming_the_cluster()
    {
        Assert.Equal("arn:aws:secretsmanager:eu-west-1:1:secret:rds!cluster-a", ClusterPlan.MasterUserSecretArn("qa-db", [null, "", "arn:aws:secretsmanager:eu-west-1:1:secret:rds!cluster-a"]));
        var error = Assert.Throws<InvalidOperationException>(() => ClusterPlan.MasterUserSecretArn("qa-login-fix-db", [null]));
        Assert.Contains("'qa-login-fix-db' reports no managed master user secret", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => ClusterPlan.MasterUserSecretArn("qa-login-fix-db", []));
    }

    [Fact]
    public void A_configured_subnet_group_and_restore_time_are_used_and_not_ignored()
    {
        var plan = Plan(Settings.With(("dbSubnetGroupName", "qa-subnets"), ("restoreTime", "2026-11-20T08:00:00Z")));

        Assert.Equal("qa-subnets", plan.Cluster.DbSubnetGroupName);
        Assert.Empty(plan.Cluster.IgnoreChanges);
        Assert.False(plan.Cluster.UseLatestRestorableTime);
        Assert.Equal("2026-11-20T08:00:00Z", plan.Cluster.RestoreToTime);
    }

    [Fact]
    public void The_security_group_admits_the_configured_clients_on_the_sources_port_only()
    {
        var plan = Plan(Settings.With(("allowedSecurityGroupIds", "[\"sg-0123456789abcdef0\"]")), Postgres16 with { Port = 6432 });

        Assert.Equal(6432, plan.SecurityGroup.Port);
        Assert.Equal("vpc-0a1b2c3d4e5f60718", plan.SecurityGroup.VpcId);
        Assert.Equal(["10.40.0.0/16"], plan.SecurityGroup.Ingress.Ipv4Cidrs);
        Assert.Equal(["sg-0123456789abcdef0"], plan.SecurityGroup.Ingress.SecurityGroupIds);
    }

    [Fact]
    public void Parameters_sit_under_the_prefix_and_never_publish_a_password()
    {
        var plan = Plan(Settings.With(("ssmPrefix", "/teams/orders/qa/")));

        Assert.Equal(
            ["endpoint", "reader-endpoint", "port", "cluster-identifier", "master-user-secret-arn", "ready", "host", "reader-host"],
            plan.Parameters.Select(p => p.Name["/teams/orders/qa/".Length..]));
        Assert.DoesNotContain(plan.Parameters, p => p.Name.Contains("password", StringComparison.OrdinalIgnoreCase) && p.Value != PublishedValue.MasterUserSecretArn);
    }

    [Fact]
    public void Tags_name_the_environment_source_tool_and_owner()
    {
        var plan = Plan(Settings.With(("owner", "team-orders"), ("pullRequest", "123"), ("branch", "feature/login#2")));

        Assert.Equal("acme/qa-db/qa-login-fix", plan.Tags[ResourceTags.Stack]);
        Assert.Equal("prod-orders", plan.Tags[ResourceTags.SourceCluster]);
        Assert.Equal("qa-databases", plan.Tags[ResourceTags.CreatedBy]);
        Assert.Equal("team-orders", plan.Tags[ResourceTags.Owner]);
        Assert.Equal("123", plan.Tags[ResourceTags.PullRequest]);
        Assert.Equal("feature/login-2", plan.Tags[ResourceTags.Branch]);
        Assert.False(plan.Tags.ContainsKey(ResourceTags.ExpiresAt)); // added from the recorded creation time
    }

    [Theory]
    [InlineData("aurora-postgresql", "15.4", "serverlessMinCapacity", "scaling to zero")]
    [InlineData("aurora-mysql", "8.0.mysql_aurora.3.05.2", "serverlessMinCapacity", "Aurora MySQL 3.08.0")]
    [InlineData("aurora-postgresql", "13.4", "instanceClass", "Serverless v2 needs")]
    [InlineData("postgres", "16.4", "sourceCluster", "only aurora-postgresql and aurora-mysql")]
    public void Engine_rules_refuse_before_anything_is_declared(string engine, string version, string key, string message)
    {
        var e = Assert.Throws<ConfigValidationException>(() => Plan(Settings.Read(), Postgres16 with { Engine = engine, EngineVersion = version }));

        var problem = Assert.Single(e.Problems);
        Assert.Equal(key, problem.Key);
        Assert.Contains(message, problem.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void An_old_engine_is_fine_with_a_nonzero_minimum_or_a_provisioned_class()
    {
        var old = Postgres16 with { EngineVersion = "15.4" };

        Assert.NotNull(Plan(Settings.With(("serverlessMinCapacity", "0.5")), old).Cluster.Serverless);
        Assert.Null(Plan(Settings.With(("instanceClass", "db.t4g.medium")), old).Cluster.Serverless);
    }

    [Fact]
    public void A_stack_whose_clone_would_take_the_sources_name_is_refused()
    {
        var e = Assert.Throws<ConfigValidationException>(() => Plan(Settings.Read(stack: "prod-orders"), Postgres16 with { Identifier = "qadb-prod-orders" }));

        Assert.Equal("sourceCluster", Assert.Single(e.Problems).Key);
    }

    /// <summary>Config with the masking keys replaced: no policy, no route, unless given.</summary>
    private static StackSettings MaskedBy(params (string Key, string Value)[] values)
    {
        var raw = Settings.MinimalRaw();
        raw.Remove("maskingPolicy");
        raw.Remove("connectionRoute");
        foreach (var (key, value) in values)
        {
            raw[key] = value;
        }

        return Settings.Read(raw);
    }

    private const string ExampleScript = "masking/postgres/01-mask-personal-data.sql";

    [Fact]
    public void With_unmasked_data_allowed_and_no_route_no_hooks_run_and_the_plan_warns_the_data_is_unmasked()
    {
        var plan = Plan(MaskedBy(("allowUnmaskedData", "true")));

        Assert.Null(plan.Masking);
        Assert.Null(plan.SmokeCheck);
        Assert.Contains("allowUnmaskedData is true: the clone is published with the source's data unmasked, personal data included.", plan.Warnings);
    }

    [Fact]
    public void Masking_triggers_change_with_the_sql_and_only_with_it()
    {
        var settings = MaskedBy(("connectionRoute", "direct"), ("maskingScripts", $"[\"{ExampleScript}\"]"));

        var first = Plan(settings);
        var again = Plan(settings with { Owner = "someone-else" });

        Assert.NotNull(first.Masking);
        Assert.Equal(first.Masking!.Triggers, again.Masking!.Triggers);
        Assert.Equal(64, Assert.Single(first.Masking.Triggers).Length);
        Assert.NotEqual(first.Masking.Triggers[0], HookScripts.Fingerprint([(ExampleScript, "UPDATE x SET y = 1;")]));
        Assert.Contains($"psql -X -q -v ON_ERROR_STOP=1 --single-transaction -f '{ExampleScript}'", first.Masking.Script, StringComparison.Ordinal);
        Assert.Equal(["SELECT 1", first.Masking.Triggers[0]], first.SmokeCheck!.Triggers);
    }

    [Fact]
    public void Scripts_without_a_policy_run_and_the_plan_warns_that_no_gate_checks_the_other_columns()
    {
        var plan = Plan(MaskedBy(("connectionRoute", "direct"), ("maskingScripts", $"[\"{ExampleScript}\"]")));

        Assert.DoesNotContain("qa-db.dll masking", plan.Masking!.Script, StringComparison.Ordinal);
        Assert.Contains(plan.Warnings, w => w.StartsWith($"No masking policy: only {ExampleScript} mask, and no gate checks that every column is classified", StringComparison.Ordinal));
    }

    [Fact]
    public void With_a_policy_the_hook_applies_it_with_the_shipped_cli_then_runs_the_scripts_then_checks_again()
    {
        var plan = Plan(Settings.With(("maskingScripts", $"[\"{ExampleScript}\"]")));

        var script = plan.Masking!.Script;
        var apply = script.IndexOf($"dotnet {ShippedCli.AssemblyPath} masking apply --policy 'masking/policy.yaml' --engine postgresql", StringComparison.Ordinal);
        var sql = script.IndexOf($"-f '{ExampleScript}'", StringComparison.Ordinal);
        var check = script.IndexOf($"dotnet {ShippedCli.AssemblyPath} masking check --policy 'masking/policy.yaml' --engine postgresql --verify-masked", StringComparison.Ordinal);
        Assert.True(apply > 0 && sql > apply && check > sql, script);
        Assert.Equal(
            [MaskingPolicy.Fingerprint(File.ReadAllText(Repo.PathOf("masking", "policy.yaml"))), HookScripts.Fingerprint([(ExampleScript, File.ReadAllText(Repo.PathOf(ExampleScript)))])],
            plan.Masking.Triggers);
        Assert.Equal(["SELECT 1", .. plan.Masking.Triggers], plan.SmokeCheck!.Triggers);
        Assert.DoesNotContain(plan.Warnings, w => w.Contains("unmasked", StringComparison.Ordinal) || w.Contains("No masking policy", StringComparison.Ordinal));
    }

    [Fact]
    public void A_policy_alone_needs_no_psql_and_names_the_engine_of_the_source()
    {
        var plan = Plan(Settings.With(("serverlessMinCapacity", "0.5")), Postgres16 with { Engine = "aurora-mysql", EngineVersion = "8.0.mysql_aurora.3.05.2" });

        Assert.Contains("masking apply --policy 'masking/policy.yaml' --engine mysql", plan.Masking!.Script, StringComparison.Ordinal);
        Assert.DoesNotContain("mysql_args", plan.Masking.Script, StringComparison.Ordinal);
        Assert.DoesNotContain("--verify-masked", plan.Masking.Script, StringComparison.Ordinal);
    }

    [Fact]
    public void The_masking_hook_re_runs_when_the_policy_changes_and_only_then()
    {
        using var project = new TempProject();
        project.Write("masking/policy.yaml", "tables:\n  customers: truncate\n");
        StackSettings Read() => StackSettingsReader.Read(Settings.Context(), Settings.MinimalRaw(), Settings.Now, project.Path);
        var first = EnvironmentPlanner.Plan(Read(), Postgres16, project.Path);
        var unchanged = EnvironmentPlanner.Plan(Read() with { Owner = "someone-else" }, Postgres16, project.Path);
        project.Write("masking/policy.yaml", "tables:\r\n  customers: truncate\r\n");
        var crlf = EnvironmentPlanner.Plan(Read(), Postgres16, project.Path);
        project.Write("masking/policy.yaml", "tables:\n  customers: { keep-all: reference data }\n");
        var changed = EnvironmentPlanner.Plan(Read(), Postgres16, project.Path);

        Assert.Equal(first.Masking!.Triggers, unchanged.Masking!.Triggers);
        Assert.Equal(first.Masking.Triggers, crlf.Masking!.Triggers);
        Assert.NotEqual(first.Masking.Triggers, changed.Masking!.Triggers);
    }

    [Fact]
    public void Only_a_policy_that_hashes_gives_the_masking_hook_the_salt()
    {
        using var project = new TempProject();
        project.Write("masking/policy.yaml", "tables:\n  customers:\n    columns:\n      id: keep\n      tax_id: hash\n");
        project.Write("masking/plain.yaml", "tables:\n  customers: truncate\n");
        var raw = Settings.MinimalRaw();
        raw["maskingSalt"] = "a-salt-of-more-than-16-characters";
        var hashing = StackSettingsReader.Read(Settings.Context(), raw, Settings.Now, project.Path);
        raw["maskingPolicy"] = "masking/plain.yaml";
        var plain = StackSettingsReader.Read(Settings.Context(), raw, Settings.Now, project.Path);

        Assert.True(EnvironmentPlanner.Plan(hashing, Postgres16, project.Path).Masking!.NeedsMaskingSalt);
        Assert.False(EnvironmentPlanner.Plan(plain, Postgres16, project.Path).Masking!.NeedsMaskingSalt);
        Assert.DoesNotContain(raw["maskingSalt"], EnvironmentPlanner.Plan(hashing, Postgres16, project.Path).Masking!.Script, StringComparison.Ordinal);
    }

    [Fact]
    public void The_database_hooks_use_defaults_to_the_sources_then_the_engines()
    {
        Assert.Equal("orders", Plan(Settings.Read()).DatabaseName);
        Assert.Equal("postgres", Plan(Settings.Read(), Postgres16 with { DatabaseName = null }).DatabaseName);
        Assert.Equal("mysql", Plan(Settings.With(("serverlessMinCapacity", "0.5")), Postgres16 with { Engine = "aurora-mysql", EngineVersion = "8.0.mysql_aurora.3.05.2", DatabaseName = null }).DatabaseName);
        Assert.Equal("reporting", Plan(Settings.With(("databaseName", "reporting"))).DatabaseName);
    }
}
