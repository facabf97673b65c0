using QaDatabases.Configuration;
using QaDatabases.Golden;

namespace QaDatabases.Tests.Golden;

/// <summary>When a golden is refreshed, which cluster a consumer clones, and what a consumer is told when it cannot.</summary>
public class GoldenDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);
    private static readonly string PolicyA = new('a', 64);
    private static readonly string PolicyB = new('b', 64);

    private static GoldenRecord Record(int generation = 2, string? fingerprint = null, DateTimeOffset? dataTime = null, string source = "prod-orders") =>
        new($"qadb-qa-golden-g{generation}", generation, fingerprint ?? PolicyA, UtcTimestamp.Format(dataTime ?? Now.AddDays(-1)), source);

    private static GoldenRefresh Refresh(GoldenRecord? record, int cloneGeneration = 1, string source = "prod-orders", string? fingerprint = null) =>
        GoldenDecisions.Refresh(record, cloneGeneration, source, fingerprint ?? PolicyA, MaxAge, Now);

    [Fact]
    public void A_golden_without_a_record_is_made_under_its_clone_generation()
    {
        Assert.Equal((3, false), (Refresh(null, cloneGeneration: 3).Generation, Refresh(null, cloneGeneration: 3).Refreshes));
    }

    [Fact]
    public void A_fresh_golden_keeps_its_recorded_generation_so_nothing_is_replaced()
    {
        var refresh = Refresh(Record(2), cloneGeneration: 2);

        Assert.Equal((2, false), (refresh.Generation, refresh.Refreshes));
    }

    [Fact]
    public void Raising_clone_generation_above_the_record_refreshes_the_golden()
    {
        var refresh = Refresh(Record(2), cloneGeneration: 5);

        Assert.Equal((5, true), (refresh.Generation, refresh.Refreshes));
    }

    [Fact]
    public void A_clone_generation_below_the_record_never_switches_the_golden_back()
    {
        var refresh = Refresh(Record(4), cloneGeneration: 1);

        Assert.Equal((4, false), (refresh.Generation, refresh.Refreshes));
        Assert.Contains("never switched back", refresh.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_golden_older_than_its_max_age_is_refreshed_under_the_next_generation_and_one_younger_is_not()
    {
        var aged = Refresh(Record(4, dataTime: Now - MaxAge));
        var young = Refresh(Record(4, dataTime: Now - MaxAge + TimeSpan.FromSeconds(1)));

        Assert.Equal((5, true), (aged.Generation, aged.Refreshes));
        Assert.StartsWith("aged", aged.Reason, StringComparison.Ordinal);
        Assert.Equal((4, false), (young.Generation, young.Refreshes));
    }

    [Fact]
    public void A_changed_masking_policy_refreshes_the_golden_instead_of_masking_it_again_in_place()
    {
        var refresh = Refresh(Record(2, fingerprint: PolicyA), fingerprint: PolicyB);

        Assert.Equal((3, true), (refresh.Generation, refresh.Refreshes));
        Assert.Contains("masking policy changed", refresh.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_source_cluster_refreshes_the_golden_under_a_new_identifier_that_can_be_created_first()
    {
        var refresh = Refresh(Record(2, source: "prod-orders"), source: "prod-orders-v2");

        Assert.Equal((3, true), (refresh.Generation, refresh.Refreshes));
        Assert.Equal((2, false), (Refresh(Record(2, source: "prod-orders"), source: "PROD-ORDERS").Generation, false));
    }

    [Fact]
    public void A_consumer_without_a_clone_clones_the_recorded_golden()
    {
        var source = GoldenDecisions.ChooseSource("qa-golden", Record(3), null, 1, PolicyA, "masking/policy.yaml");

        Assert.Equal(new GoldenSource("qa-golden", "qadb-qa-golden-g3", 3, PolicyA, Record(3).DataTime, 1), source);
    }

    [Fact]
    public void A_consumer_keeps_the_golden_it_was_cloned_from_when_the_golden_is_refreshed()
    {
        var clonedFrom = GoldenDecisions.ChooseSource("qa-golden", Record(2), null, 1, PolicyA, "masking/policy.yaml");

        var afterRefresh = GoldenDecisions.ChooseSource("qa-golden", Record(3), clonedFrom, 1, PolicyA, "masking/policy.yaml");

        Assert.Equal(clonedFrom, afterRefresh);
    }

    [Fact]
    public void A_consumer_moves_to_the_current_golden_when_its_own_clone_generation_is_raised()
    {
        var clonedFrom = GoldenDecisions.ChooseSource("qa-golden", Record(2), null, 1, PolicyA, "masking/policy.yaml");

        var recloned = GoldenDecisions.ChooseSource("qa-golden", Record(3), clonedFrom, 2, PolicyA, "masking/policy.yaml");

        Assert.Equal(("qadb-qa-golden-g3", 3, 2), (recloned.Cluster, recloned.Generation, recloned.CloneGeneration));
    }

    [Fact]
    public void A_consumer_of_a_golden_without_a_record_gets_the_exact_error()
    {
        var error = Assert.Throws<GoldenRejectedException>(() => GoldenDecisions.ChooseSource("qa-golden", null, null, 1, PolicyA, "masking/policy.yaml"));

        Assert.Equal("golden stack qa-golden has no ready record: run pulumi up --stack qa-golden first", error.Message);
    }

    [Fact]
    public void A_golden_masked_under_another_policy_is_refused_saying_to_refresh_the_golden()
    {
        var error = Assert.Throws<GoldenRejectedException>(() => GoldenDecisions.ChooseSource("qa-golden", Record(2, fingerprint: PolicyB), null, 1, PolicyA, "masking/policy.yaml"));

        Assert.StartsWith("golden stack qa-golden (generation 2, qadb-qa-golden-g2) was masked under another policy than this stack's masking/policy.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains("refresh the golden so it is masked under this policy: pulumi up --stack qa-golden", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_consumer_whose_policy_changed_since_its_clone_is_told_to_reclone_from_the_golden_that_matches()
    {
        var clonedFrom = GoldenDecisions.ChooseSource("qa-golden", Record(2, fingerprint: PolicyA), null, 1, PolicyA, "masking/policy.yaml");

        var error = Assert.Throws<GoldenRejectedException>(() =>
            GoldenDecisions.ChooseSource("qa-golden", Record(3, fingerprint: PolicyB), clonedFrom, 1, PolicyB, "masking/policy.yaml"));

        Assert.Contains("re-clone it from the golden's generation 3, which matches: pulumi config set cloneGeneration 2 && pulumi up", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recorded_source_of_another_golden_stack_is_not_kept()
    {
        var other = new GoldenSource("old-golden", "qadb-old-golden", 1, PolicyA, Record(1).DataTime, 1);

        var source = GoldenDecisions.ChooseSource("qa-golden", Record(3), other, 1, PolicyA, "masking/policy.yaml");

        Assert.Equal("qadb-qa-golden-g3", source.Cluster);
    }
}
