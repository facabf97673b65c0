using QaDatabases.Configuration;
using QaDatabases.Golden;
using QaDatabases.Hooks;
using QaDatabases.Planning;
using QaDatabases.Pool;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests.Golden;

/// <summary>What a golden and a clone of a golden plan to declare, next to an ordinary clone.</summary>
public class GoldenPlannerTests
{
    private static readonly SourceCluster Prod = new("prod-orders", "aurora-postgresql", "16.4", 5432, "prod-private", "orders");
    private static readonly string Fingerprint = new('e', 64);


    private static EnvironmentPlan ConsumerPlan(GoldenSource source)
    {
        var settings = Settings.Consumer() with { SourceClusterIdentifier = source.Cluster };
        return GoldenPlanner.Consumer(EnvironmentPlanner.Plan(settings, Prod with { Identifier = source.Cluster }, Repo.Root), source);
    }

    private static readonly GoldenSource ClonedFrom = new("qa-golden", "qadb-qa-golden-g2", 2, Fingerprint, "2026-11-23T05:00:00Z", 1);

    [Fact]
    public void A_clone_of_a_golden_restores_from_the_chosen_golden_cluster_at_its_latest_time()
    {
        var plan = ConsumerPlan(ClonedFrom);

        Assert.Equal("qadb-qa-golden-g2", plan.Cluster.SourceClusterIdentifier);
        Assert.True(plan.Cluster.UseLatestRestorableTime);
        Assert.Equal("qadb-pr-7", plan.Cluster.Identifier);
        Assert.Equal("qadb-qa-golden-g2", plan.Tags["qa-db:source-cluster"]);
    }

    [Fact]
    public void A_clone_of_a_golden_runs_no_masking_pass_only_the_gate_then_the_smoke_check()
    {
        var plan = ConsumerPlan(ClonedFrom);

        var gate = Assert.IsType<HookPlan>(plan.Masking);
        Assert.Equal("gate", gate.Name);
        Assert.Contains("masking check --policy 'masking/policy.yaml' --engine postgresql --verify-masked", gate.Script, StringComparison.Ordinal);
        Assert.DoesNotContain("masking apply", gate.Script, StringComparison.Ordinal);
        Assert.DoesNotContain("psql -X -q -v ON_ERROR_STOP=1 --single-transaction -f", gate.Script, StringComparison.Ordinal);
        Assert.Equal("smoke-check", plan.SmokeCheck!.Name);
    }

    [Fact]
    public void A_clone_of_a_golden_publishes_what_it_was_cloned_from_next_to_its_endpoint()
    {
        var plan = ConsumerPlan(ClonedFrom);

        var recorded = Assert.Single(plan.Parameters, p => p.Value == PublishedValue.GoldenSource);
        Assert.Equal("/qa/pr-7/db/golden-source", recorded.Name);
        Assert.Equal(ClonedFrom, plan.ClonedFrom);
        Assert.Equal(EnvironmentPlanner.PublishedParameters("/qa/pr-7/db/").Count + 1, plan.Parameters.Count);
        Assert.Null(plan.GoldenRecord);
    }

    private static GoldenResolution Resolution(StackSettings settings, GoldenRecord? recorded, int generation) =>
        new(settings with { CloneGeneration = generation }, "prod-orders", null, recorded, new GoldenRefresh(generation, recorded is not null && recorded.Generation != generation, "test"));

    private static IReadOnlyList<GoldenGeneration> Generations(GoldenRecord? recorded, int generation)
    {
        var settings = Settings.With(("golden", "true"));
        var resolution = Resolution(settings, recorded, generation);
        return GoldenPlanner.Generations(resolution, EnvironmentPlanner.Plan(resolution.Settings, Prod, Repo.Root), Repo.Root, "eu-west-1");
    }

    [Fact]
    public void A_golden_is_an_ordinary_masked_clone_that_records_its_generation_policy_and_source()
    {
        var golden = Assert.Single(Generations(null, 3));

        var plan = golden.Plan;
        var fingerprint = plan.Settings.Masking.PolicyFingerprint!;
        Assert.False(golden.Retiring);
        Assert.Equal(new GoldenRecordPlan("qa-login-fix", 3, fingerprint, "prod-orders", "eu-west-1"), plan.GoldenRecord);
        Assert.Equal(new GoldenRecord("qadb-qa-login-fix-g3", 3, fingerprint, "2026-11-24T10:00:00Z", "prod-orders"),
            plan.GoldenRecord!.Record("qadb-qa-login-fix-g3", "2026-11-24T10:00:00Z\n"));
        Assert.Equal("masking", plan.Masking!.Name);
        Assert.Contains("masking apply", plan.Masking.Script, StringComparison.Ordinal);
        Assert.Equal("golden", plan.Tags["qa-db:role"]);
        Assert.Equal("qadb-qa-login-fix-g3", plan.Cluster.Identifier);
        Assert.Empty(plan.Parameters);
        Assert.Equal("qadb-qa-login-fix-g3", plan.SecurityGroup.Name);
    }

    [Fact]
    public void A_fresh_golden_declares_only_the_generation_its_record_names()
    {
        var recorded = new GoldenRecord("qadb-qa-login-fix-g3", 3, Fingerprint, "2026-11-24T10:00:00Z", "prod-orders");

        Assert.Equal(["qadb-qa-login-fix-g3"], Generations(recorded, 3).Select(g => g.Plan.Cluster.Identifier));
    }

    [Fact]
    public void A_refresh_declares_the_new_golden_next_to_the_recorded_one_which_stays_as_it_was_made()
    {
        var recorded = new GoldenRecord("qadb-qa-login-fix-g2", 2, Fingerprint, "2026-11-10T05:00:00Z", "prod-orders-old");

        var generations = Generations(recorded, 3);

        var (current, retiring) = (generations[0], generations[1]);
        Assert.Equal(("qadb-qa-login-fix-g3", false), (current.Plan.Cluster.Identifier, current.Retiring));
        Assert.True(retiring.Retiring);
        Assert.Equal("qadb-qa-login-fix-g2", retiring.Plan.Cluster.Identifier);
        Assert.Equal("prod-orders-old", retiring.Plan.Cluster.SourceClusterIdentifier);
        Assert.Equal("prod-orders-old", retiring.Plan.Tags["qa-db:source-cluster"]);
        Assert.Equal(2, retiring.Plan.Settings.CloneGeneration);
        Assert.Null(retiring.Plan.Masking);
        Assert.Null(retiring.Plan.SmokeCheck);
        Assert.Null(retiring.Plan.GoldenRecord);
        Assert.Empty(retiring.Plan.Parameters);
        Assert.NotEqual(current.Plan.SecurityGroup.Name, retiring.Plan.SecurityGroup.Name);
    }

    [Fact]
    public void Pool_members_restore_each_from_the_source_their_decision_names()
    {
        var pool = Settings.Read(new Dictionary<string, string>(Settings.MinimalRaw()) { ["poolSize"] = "2" }, "qa-pool");
        var decisions = new[]
        {
            new MemberDecision(1, 1, RefillAction.Keep, "free and fresh", "qadb-qa-golden-g2"),
            new MemberDecision(2, 2, RefillAction.Refill, "cloned from qadb-qa-golden-g2", "qadb-qa-golden-g3"),
        };

        var members = PoolPlanner.Plan(pool, Prod, Repo.Root, decisions, "eu-west-1");

        Assert.Equal(["qadb-qa-golden-g2", "qadb-qa-golden-g3"], members.Select(m => m.Member.Cluster.SourceClusterIdentifier));
        Assert.Equal(["qadb-qa-golden-g2", "qadb-qa-golden-g3"], members.Select(m => m.Member.Tags["qa-db:source-cluster"]));
        Assert.All(members, m => Assert.Equal("pool-member", m.Member.Tags["qa-db:role"]));
    }
}
