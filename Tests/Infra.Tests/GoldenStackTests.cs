using System.Collections.Immutable;
using QaDatabases.Golden;

namespace QaDatabases.Infra.Tests;

/// <summary>What a golden stack and a stack that clones a golden declare, read from the inputs and options each resource is registered with.</summary>
public class GoldenStackTests
{
    private const string Cluster = "aws:rds/cluster:Cluster";
    private const string Command = "command:local:Command";
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    public GoldenStackTests() => ProgramRun.UseProjectDirectory();

    private static Dictionary<string, string> GoldenConfig() => ProgramRun.Config(("golden", "true"));

    private static Dictionary<string, string> ConsumerConfig(params (string Key, string Value)[] extra) => ProgramRun.ConsumerConfig(extra);

    private static Task<ProgramRun> GoldenUpAsync(params QaDatabases.Pool.ObservedParameter[] records) =>
        ProgramRun.UpAsync(GoldenConfig(), stack: "qa-golden", ssm: new FakePools(records), now: Now);

    private static QaDatabases.Pool.ObservedParameter Recorded(int generation, string dataTime = "2026-11-24T05:00:00Z") => FakePools.Golden("qa-golden", generation, dataTime: dataTime);

    [Fact]
    public async Task A_golden_switches_its_record_only_after_its_masking_and_smoke_check_passed()
    {
        var run = await GoldenUpAsync();

        var record = Assert.Single(run.Mocks.Resources, r => r.Name == "g1-golden-record");
        Assert.Contains($"golden publish --stack 'qa-golden' --cluster 'qadb-qa-golden' --generation 1 --policy-fingerprint '{FakePools.PolicyFingerprint}' --data-time '{RecordingMocks.CreatedAt}' --source-cluster 'prod-orders'",
            (string)record.Inputs["create"], StringComparison.Ordinal);
        Assert.Contains("golden withdraw --stack 'qa-golden' --cluster 'qadb-qa-golden'", (string)record.Inputs["delete"], StringComparison.Ordinal);
        Assert.Equal(["g1-smoke-check"], await ProgramRun.DependsOnAsync(run.OptionsOf(Command, "g1-golden-record").Options));
        Assert.Equal(["g1-masking"], await ProgramRun.DependsOnAsync(run.OptionsOf(Command, "g1-smoke-check").Options));
        Assert.Contains("masking apply", (string)Assert.Single(run.Mocks.Resources, r => r.Name == "g1-masking").Inputs["create"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_golden_is_tagged_as_one_and_publishes_nothing_but_its_record()
    {
        var run = await GoldenUpAsync();

        var cluster = Assert.Single(run.Mocks.Resources, r => r.Type == Cluster);
        Assert.Equal("golden", ((ImmutableDictionary<string, object>)cluster.Inputs["tags"])["qa-db:role"]);
        Assert.DoesNotContain(run.Mocks.Resources, r => r.Type == "aws:ssm/parameter:Parameter");
        Assert.Equal(GoldenPaths.Ready("qa-golden"), run.Outputs["goldenRecordParameter"]);
    }

    [Fact]
    public async Task A_refresh_makes_the_next_golden_next_to_the_recorded_one_which_runs_no_hook_again()
    {
        var run = await GoldenUpAsync(Recorded(2, dataTime: "2026-11-10T05:00:00Z"));

        Assert.Equal(["qadb-qa-golden-g2", "qadb-qa-golden-g3"], run.Mocks.Resources.Where(r => r.Type == Cluster).Select(r => (string)r.Inputs["clusterIdentifier"]).Order(StringComparer.Ordinal));
        Assert.Single(run.Mocks.Resources, r => r.Name == "g3-golden-record");
        Assert.DoesNotContain(run.Mocks.Resources, r => r.Name is "g2-golden-record" or "g2-masking" or "g2-smoke-check");
        Assert.Single(run.Mocks.Resources, r => r.Name == "g2-created-at");
        Assert.Equal("qadb-qa-golden-g2", run.Outputs["retiringCluster"]);
        Assert.StartsWith("aged", (string)run.Outputs["goldenRefresh"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_recorded_golden_keeps_every_input_it_was_made_with_while_the_next_one_is_made()
    {
        var fresh = await GoldenUpAsync(Recorded(2, dataTime: "2026-11-24T05:00:00Z"));
        var refreshing = await GoldenUpAsync(Recorded(2, dataTime: "2026-11-10T05:00:00Z"));

        foreach (var type in new[] { Cluster, "aws:rds/clusterInstance:ClusterInstance", "aws:ec2/securityGroup:SecurityGroup" })
        {
            var before = Assert.Single(fresh.Mocks.Resources, r => r.Type == type);
            var after = Assert.Single(refreshing.Mocks.Resources, r => r.Type == type && r.Name == before.Name);
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(before.Inputs), System.Text.Json.JsonSerializer.Serialize(after.Inputs));
        }
    }

    [Fact]
    public async Task A_clone_of_a_golden_declares_no_masking_only_the_gate_and_the_smoke_check_before_it_publishes()
    {
        var run = await ProgramRun.UpAsync(ConsumerConfig(), stack: "pr-7", ssm: new FakePools(FakePools.Golden("qa-golden", 2)), now: Now);

        Assert.DoesNotContain(run.Mocks.Resources, r => r.Name == "masking");
        var gate = Assert.Single(run.Mocks.Resources, r => r.Name == "gate");
        Assert.Contains("masking check --policy 'masking/policy.yaml' --engine postgresql --verify-masked", (string)gate.Inputs["create"], StringComparison.Ordinal);
        Assert.DoesNotContain("masking apply", (string)gate.Inputs["create"], StringComparison.Ordinal);
        Assert.Equal(["gate"], await ProgramRun.DependsOnAsync(run.OptionsOf(Command, "smoke-check").Options));
        var cluster = Assert.Single(run.Mocks.Resources, r => r.Type == Cluster);
        Assert.Equal("qadb-qa-golden-g2", ((ImmutableDictionary<string, object>)cluster.Inputs["restoreToPointInTime"])["sourceClusterIdentifier"]);
        var recorded = Assert.Single(run.Mocks.Resources, r => r.Name == "/qa/pr-7/db/golden-source");
        Assert.Equal(new GoldenSource("qa-golden", "qadb-qa-golden-g2", 2, FakePools.PolicyFingerprint, "2026-11-24T05:00:00Z", 1),
            GoldenSource.Parse((string)recorded.Inputs["value"], "/qa/pr-7/db/golden-source"));
        Assert.Equal(["smoke-check"], await ProgramRun.DependsOnAsync(run.OptionsOf("aws:ssm/parameter:Parameter", "/qa/pr-7/db/golden-source").Options));
    }

    [Fact]
    public async Task A_golden_refresh_changes_none_of_an_existing_clones_inputs()
    {
        var first = await ProgramRun.UpAsync(ConsumerConfig(), stack: "pr-7", ssm: new FakePools(FakePools.Golden("qa-golden", 2)), now: Now);
        var published = GoldenSource.Parse((string)Assert.Single(first.Mocks.Resources, r => r.Name == "/qa/pr-7/db/golden-source").Inputs["value"], "p");

        var afterRefresh = await ProgramRun.UpAsync(ConsumerConfig(), stack: "pr-7",
            ssm: new FakePools(FakePools.Golden("qa-golden", 3), FakePools.ClonedFrom("/qa/pr-7/db/", published)), now: Now);

        Assert.Equal(
            first.Mocks.Resources.Where(r => r.Type != "pulumi:pulumi:Stack").Select(r => (r.Name, System.Text.Json.JsonSerializer.Serialize(r.Inputs))).Order(),
            afterRefresh.Mocks.Resources.Where(r => r.Type != "pulumi:pulumi:Stack").Select(r => (r.Name, System.Text.Json.JsonSerializer.Serialize(r.Inputs))).Order());
        Assert.Equal("qadb-qa-golden-g3", Assert.Single(afterRefresh.Mocks.Calls, c => c.Token == "aws:rds/getCluster:getCluster").Args["clusterIdentifier"]);
    }

    [Fact]
    public async Task Raising_the_clones_own_generation_moves_it_to_the_current_golden()
    {
        var published = new GoldenSource("qa-golden", "qadb-qa-golden-g2", 2, FakePools.PolicyFingerprint, "2026-11-20T05:00:00Z", 1);

        var run = await ProgramRun.UpAsync(ConsumerConfig(("cloneGeneration", "2")), stack: "pr-7",
            ssm: new FakePools(FakePools.Golden("qa-golden", 3), FakePools.ClonedFrom("/qa/pr-7/db/", published)), now: Now);

        var cluster = Assert.Single(run.Mocks.Resources, r => r.Type == Cluster);
        Assert.Equal("qadb-pr-7-g2", cluster.Inputs["clusterIdentifier"]);
        Assert.Equal("qadb-qa-golden-g3", ((ImmutableDictionary<string, object>)cluster.Inputs["restoreToPointInTime"])["sourceClusterIdentifier"]);
    }

    [Fact]
    public async Task A_clone_of_a_golden_without_a_record_or_of_another_policy_fails_before_any_resource()
    {
        foreach (var (ssm, expected) in new[]
        {
            (new FakePools(), "golden stack qa-golden has no ready record: run pulumi up --stack qa-golden first"),
            (new FakePools(FakePools.Golden("qa-golden", 2, fingerprint: new string('0', 64))), "refresh the golden so it is masked under this policy: pulumi up --stack qa-golden"),
        })
        {
            var mocks = new RecordingMocks();
            var error = await Assert.ThrowsAnyAsync<Exception>(() => ProgramRun.UpAsync(ConsumerConfig(), stack: "pr-7", ssm: ssm, mocks: mocks, now: Now));
            Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
        }
    }

    [Fact]
    public async Task A_pool_of_a_golden_refills_a_member_of_an_older_generation_and_restores_it_from_the_current_one()
    {
        var older = FakePools.Ready("qa-pool", 1) with
        {
            Value = FakePools.Ready("qa-pool", 1).Value.Replace("\"sourceCluster\":\"prod-orders\"", "\"sourceCluster\":\"qadb-qa-golden-g2\"", StringComparison.Ordinal),
        };
        var ssm = new FakePools(FakePools.Golden("qa-golden", 3), older);

        var run = await ProgramRun.UpAsync(ConsumerConfig(("poolSize", "1")), stack: "qa-pool", ssm: ssm, now: Now);

        var cluster = Assert.Single(run.Mocks.Resources, r => r.Type == Cluster);
        Assert.Equal("qadb-qa-pool-m1-g2", cluster.Inputs["clusterIdentifier"]);
        Assert.Equal("qadb-qa-golden-g3", ((ImmutableDictionary<string, object>)cluster.Inputs["restoreToPointInTime"])["sourceClusterIdentifier"]);
        Assert.Single(run.Mocks.Resources, r => r.Name == "refill-lease-m1");
        Assert.Single(run.Mocks.Resources, r => r.Name == "m1-gate");
        Assert.DoesNotContain(run.Mocks.Resources, r => r.Name == "m1-masking");
    }
}
