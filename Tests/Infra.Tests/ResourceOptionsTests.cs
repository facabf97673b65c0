namespace QaDatabases.Infra.Tests;

/// <summary>
/// The resource options each child of the QaDatabase component gets. Mocks see only inputs, so these
/// promises (publish after masking, delete the old clone before restoring the new) are read from the
/// options a resource transformation recorded.
/// </summary>
public class ResourceOptionsTests
{
    private const string Cluster = "aws:rds/cluster:Cluster";
    private const string Instance = "aws:rds/clusterInstance:ClusterInstance";
    private const string SecurityGroup = "aws:ec2/securityGroup:SecurityGroup";
    private const string Command = "command:local:Command";
    private const string Parameter = "aws:ssm/parameter:Parameter";

    private static Task<ProgramRun> UpWithHooksAsync() => ProgramRun.UpAsync(ProgramRun.Config(
        ("connectionRoute", "direct"), ("maskingScripts", "[\"masking/postgres/01-mask-personal-data.sql\"]")));

    [Fact]
    public async Task Every_child_is_parented_to_the_component()
    {
        var run = await UpWithHooksAsync();

        var component = Assert.Single(run.Options, o => o.Type == "qa-db:index:QaDatabase");
        var children = run.Options.Where(o => o != component).ToList();
        Assert.Equal(14, children.Count);
        Assert.All(children, child => Assert.Equal("qa-db:index:QaDatabase", child.Options.Parent?.GetResourceType()));
    }

    [Fact]
    public async Task The_cluster_is_deleted_before_its_replacement_is_restored()
    {
        var run = await ProgramRun.UpAsync(ProgramRun.Config());

        // A restore under an identifier that still exists fails after minutes; a re-clone at a new
        // restoreTime keeps the identifier, so the old clone must go first.
        Assert.True(run.OptionsOf(Cluster, "cluster").Custom.DeleteBeforeReplace);
        Assert.True(run.OptionsOf(Instance, "instance").Custom.DeleteBeforeReplace);
    }

    [Fact]
    public async Task An_inherited_subnet_group_is_ignored_and_a_configured_one_is_not()
    {
        var inherited = await ProgramRun.UpAsync(ProgramRun.Config());
        var configured = await ProgramRun.UpAsync(ProgramRun.Config(("dbSubnetGroupName", "qa-subnets")));

        Assert.Equal(["dbSubnetGroupName"], inherited.OptionsOf(Cluster, "cluster").Options.IgnoreChanges);
        Assert.Empty(configured.OptionsOf(Cluster, "cluster").Options.IgnoreChanges);
    }

    [Fact]
    public async Task The_instance_waits_only_for_the_cluster_it_names()
    {
        var run = await UpWithHooksAsync();

        Assert.Empty(await ProgramRun.DependsOnAsync(run.OptionsOf(Instance, "instance").Options));
        Assert.Empty(await ProgramRun.DependsOnAsync(run.OptionsOf(Cluster, "cluster").Options));
        Assert.Empty(await ProgramRun.DependsOnAsync(run.OptionsOf(SecurityGroup, "access").Options));
    }

    [Fact]
    public async Task Masking_runs_after_the_instance_and_the_smoke_check_after_masking()
    {
        var run = await UpWithHooksAsync();

        Assert.Equal(["instance"], await ProgramRun.DependsOnAsync(run.OptionsOf(Command, "masking").Options));
        Assert.Equal(["masking"], await ProgramRun.DependsOnAsync(run.OptionsOf(Command, "smoke-check").Options));
    }

    [Fact]
    public async Task The_endpoint_is_published_only_after_the_last_hook_passed()
    {
        var run = await UpWithHooksAsync();

        var parameters = run.Options.Where(o => o.Type == Parameter).ToList();
        Assert.Equal(8, parameters.Count);
        foreach (var parameter in parameters)
        {
            Assert.Equal(["smoke-check"], await ProgramRun.DependsOnAsync(parameter.Options));
        }
    }

    [Fact]
    public async Task With_the_policy_alone_the_endpoint_is_published_only_after_masking_and_the_smoke_check()
    {
        // A failing gate fails the masking command; nothing that depends on it, no parameter, is written.
        var run = await ProgramRun.UpAsync(ProgramRun.Config());

        Assert.Equal(["instance"], await ProgramRun.DependsOnAsync(run.OptionsOf(Command, "masking").Options));
        Assert.Equal(["masking"], await ProgramRun.DependsOnAsync(run.OptionsOf(Command, "smoke-check").Options));
        foreach (var parameter in run.Options.Where(o => o.Type == Parameter))
        {
            Assert.Equal(["smoke-check"], await ProgramRun.DependsOnAsync(parameter.Options));
        }
    }

    [Fact]
    public async Task Without_hooks_the_endpoint_is_published_once_the_instance_is_up()
    {
        var run = await ProgramRun.UpAsync(ProgramRun.Unmasked());

        foreach (var parameter in run.Options.Where(o => o.Type == Parameter))
        {
            Assert.Equal(["instance"], await ProgramRun.DependsOnAsync(parameter.Options));
        }
    }

    [Fact]
    public async Task The_creation_time_is_recorded_once_with_no_triggers_or_dependencies()
    {
        var run = await ProgramRun.UpAsync(ProgramRun.Config());

        var createdAt = run.OptionsOf(Command, "created-at");
        Assert.Empty(await ProgramRun.DependsOnAsync(createdAt.Options));
        Assert.NotEqual(true, createdAt.Custom.DeleteBeforeReplace);
        Assert.DoesNotContain(run.Mocks.Resources, r => r.Name == "created-at" && r.Inputs.ContainsKey("triggers"));
    }
}
