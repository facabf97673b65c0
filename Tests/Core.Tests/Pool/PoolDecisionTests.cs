using QaDatabases.Configuration;
using QaDatabases.Pool;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests.Pool;

public class PoolDecisionTests
{
    private const string Pool = "qa-pool";
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    private static PoolState State(params IEnumerable<ObservedParameter>[] members) => PoolState.From(Pool, members.SelectMany(m => m));

    private static IEnumerable<ObservedParameter> Fresh(int n, int generation = 1) => PoolFixtures.Member(Pool, n, PoolFixtures.Ready(Pool, n, generation, Now.AddHours(-3)));

    private static IEnumerable<ObservedParameter> Leased(int n, string holder, DateTimeOffset? createdAt = null) =>
        PoolFixtures.Member(Pool, n, PoolFixtures.Ready(Pool, n, createdAt: createdAt ?? Now.AddHours(-3)), new MemberLease(holder, "2026-11-25T07:00:00Z"));

    private static IEnumerable<ObservedParameter> Used(int n, int generation = 1) =>
        PoolFixtures.Member(Pool, n, PoolFixtures.Ready(Pool, n, generation, Now.AddHours(-3)), used: new MemberUsed("acme/qa-db/pr-4", "2026-11-25T06:00:00Z"));

    [Fact]
    public void State_groups_parameters_by_member_and_ignores_what_is_not_a_member_record()
    {
        var state = PoolState.From(Pool, [
            .. Fresh(2), .. Leased(1, "acme/qa-db/pr-1"),
            new ObservedParameter("/qa-db/pools/qa-pool/members/x/ready", "{}"),
            new ObservedParameter("/qa-db/pools/other/members/1/ready", "{}"),
            new ObservedParameter("/qa-db/pools/qa-pool/members/3/sub/ready", "{}"),
        ]);

        Assert.Equal([1, 2], state.Members.Select(m => m.Number));
        Assert.Equal("acme/qa-db/pr-1", state.Member(1)!.Lease!.Holder);
        Assert.Equal("qa-pool-m2-db", state.Member(2)!.Ready!.ClusterIdentifier);
    }

    [Fact]
    public void Each_member_gets_its_status_from_its_parameters()
    {
        var state = State(
            Fresh(1),
            Leased(2, "acme/qa-db/pr-2"),
            Used(3),
            Leased(5, PoolPaths.RefillHolder(Pool)),
            [new ObservedParameter(PoolPaths.Lease(Pool, 6), "not json")]);

        Assert.Equal(
            [MemberStatus.Free, MemberStatus.Leased, MemberStatus.Used, MemberStatus.Refilling, MemberStatus.Unreadable],
            state.Members.Select(m => PoolDecisions.StatusOf(m, Pool)));
        Assert.Equal(MemberStatus.Refilling, PoolDecisions.StatusOf(new MemberState(4, null, null, null, false, false, false), Pool));
    }

    [Fact]
    public void A_claim_tries_only_free_members()
    {
        var state = State(Fresh(1), Leased(2, "acme/qa-db/pr-2"), Used(3), Fresh(4), Leased(5, PoolPaths.RefillHolder(Pool)));

        Assert.Equal([1, 4], PoolDecisions.ClaimOrder(state, "acme/qa-db/pr-9").Order());
        Assert.Empty(PoolDecisions.ClaimOrder(State(Used(1), Leased(2, "x")), "acme/qa-db/pr-9"));
    }

    private static IEnumerable<ObservedParameter> Unmasked(int n) => PoolFixtures.Member(Pool, n, PoolFixtures.Ready(Pool, n, createdAt: Now.AddHours(-3), masked: false));

    [Fact]
    public void A_claim_takes_a_member_published_unmasked_only_when_the_claimer_allows_unmasked_data()
    {
        var state = State(Unmasked(1), Fresh(2), Unmasked(3));

        Assert.Equal([2], PoolDecisions.ClaimOrder(state, "acme/qa-db/pr-9"));
        Assert.Equal([1, 2, 3], PoolDecisions.ClaimOrder(state, "acme/qa-db/pr-9", acceptUnmasked: true).Order());
    }

    [Fact]
    public void A_ready_record_written_before_masking_was_recorded_counts_as_unmasked()
    {
        var old = PoolJson.Write(PoolFixtures.Ready(Pool, 1)).Replace($",\"masking\":\"{PoolFixtures.MaskingSummary}\",\"masked\":true", "", StringComparison.Ordinal);
        var state = PoolState.From(Pool, [new ObservedParameter(PoolPaths.Ready(Pool, 1), old)]);

        Assert.DoesNotContain("masked", old, StringComparison.Ordinal);
        Assert.Equal(MemberStatus.Free, PoolDecisions.StatusOf(state.Member(1)!, Pool));
        Assert.Null(state.Member(1)!.Ready!.Masking);
        Assert.Empty(PoolDecisions.ClaimOrder(state, "acme/qa-db/pr-9"));
    }

    [Fact]
    public void With_only_unmasked_members_free_the_message_says_why_none_is_handed_out_and_what_to_do()
    {
        var state = State(Unmasked(1), Leased(2, "a"));

        Assert.Equal(ClaimerChoice.Fail, PoolDecisions.ChooseForClaimer(state, "acme/qa-db/pr-9", PoolFallback.Fail));
        Assert.Equal(ClaimerChoice.Claim, PoolDecisions.ChooseForClaimer(state, "acme/qa-db/pr-9", PoolFallback.Fail, acceptUnmasked: true));
        Assert.Contains("1 free but published unmasked, which this stack does not accept: give pool qa-pool a maskingPolicy", PoolDecisions.NoFreeMemberMessage(state), StringComparison.Ordinal);
        Assert.DoesNotContain("published unmasked", PoolDecisions.NoFreeMemberMessage(state, acceptUnmasked: true), StringComparison.Ordinal);
    }

    [Fact]
    public void Claimers_start_at_different_members_so_concurrent_claims_spread_over_the_pool()
    {
        var state = State(Fresh(1), Fresh(2), Fresh(3), Fresh(4));

        var firstChoices = Enumerable.Range(1, 16).Select(i => PoolDecisions.ClaimOrder(state, $"acme/qa-db/pr-{i}")[0]).ToList();

        Assert.True(firstChoices.Distinct().Count() >= 3, string.Join(",", firstChoices));
        Assert.Equal(PoolDecisions.ClaimOrder(state, "acme/qa-db/pr-1"), PoolDecisions.ClaimOrder(state, "acme/qa-db/pr-1"));
        Assert.All(Enumerable.Range(1, 16), i => Assert.Equal([1, 2, 3, 4], PoolDecisions.ClaimOrder(state, $"s{i}").Order()));
    }

    [Fact]
    public void With_no_free_member_the_message_counts_the_members_and_says_how_to_grow_the_pool()
    {
        var state = State(Leased(1, "a"), Leased(2, "b"), Used(3), Leased(4, PoolPaths.RefillHolder(Pool)));

        Assert.Equal(
            "no free member in pool qa-pool (4 members: 2 leased, 1 used, 1 refilling); grow it: pulumi config set poolSize 5 --stack qa-pool && pulumi up --stack qa-pool",
            PoolDecisions.NoFreeMemberMessage(state));
    }

    [Fact]
    public void The_refill_keeps_fresh_free_members_under_their_generation()
    {
        var decisions = PoolDecisions.Refill(State(Fresh(1, generation: 3), Fresh(2)), 2, MaxAge, Now);

        Assert.Equal([(1, 3, RefillAction.Keep), (2, 1, RefillAction.Keep)], decisions.Select(d => (d.Number, d.Generation, d.Action)));
    }

    [Fact]
    public void The_refill_reclones_a_used_member_under_the_next_generation()
    {
        var decision = Assert.Single(PoolDecisions.Refill(State(Used(1, generation: 2)), 1, MaxAge, Now));

        Assert.Equal((3, RefillAction.Refill), (decision.Generation, decision.Action));
        Assert.Contains("acme/qa-db/pr-4", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_refill_reclones_a_member_older_than_the_max_age_and_not_one_younger()
    {
        var state = State(
            PoolFixtures.Member(Pool, 1, PoolFixtures.Ready(Pool, 1, createdAt: Now - MaxAge)),
            PoolFixtures.Member(Pool, 2, PoolFixtures.Ready(Pool, 2, createdAt: Now - MaxAge + TimeSpan.FromSeconds(1))));

        var decisions = PoolDecisions.Refill(state, 2, MaxAge, Now);

        Assert.Equal([RefillAction.Refill, RefillAction.Keep], decisions.Select(d => d.Action));
        Assert.StartsWith("aged", decisions[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_refill_never_touches_a_member_under_a_claimers_lease_however_old()
    {
        var state = State(Leased(1, "acme/qa-db/pr-1", createdAt: Now.AddDays(-10)));

        var decision = Assert.Single(PoolDecisions.Refill(state, 1, MaxAge, Now));

        Assert.Equal((1, RefillAction.Keep), (decision.Generation, decision.Action));
    }

    [Fact]
    public void The_refill_resumes_an_unfinished_refill_under_the_same_next_generation()
    {
        var state = State(PoolFixtures.Member(Pool, 1, PoolFixtures.Ready(Pool, 1, 2, Now.AddHours(-3)),
            new MemberLease(PoolPaths.RefillHolder(Pool), "2026-11-25T07:00:00Z"), new MemberUsed("x", "2026-11-25T06:00:00Z")));

        var decision = Assert.Single(PoolDecisions.Refill(state, 1, MaxAge, Now));

        Assert.Equal((3, RefillAction.Refill), (decision.Generation, decision.Action));
    }

    [Fact]
    public void New_members_start_at_the_first_generation()
    {
        var decisions = PoolDecisions.Refill(State(Fresh(1)), 3, MaxAge, Now);

        Assert.Equal([(1, 1), (2, 1), (3, 1)], decisions.Select(d => (d.Number, d.Generation)));
    }

    [Fact]
    public void Shrinking_the_pool_below_a_leased_member_is_refused_before_anything_is_declared()
    {
        var problems = Assert.Throws<ConfigValidationException>(() => PoolDecisions.Refill(State(Fresh(1), Leased(2, "acme/qa-db/pr-2")), 1, MaxAge, Now)).Problems;

        var problem = Assert.Single(problems);
        Assert.Equal("poolSize", problem.Key);
        Assert.Contains("member 2, which acme/qa-db/pr-2 holds", problem.Allowed, StringComparison.Ordinal);
        Assert.Single(PoolDecisions.Refill(State(Fresh(1), Used(2)), 1, MaxAge, Now)); // a used member beyond the size just goes
    }

    [Fact]
    public void A_pool_with_no_members_in_ssm_is_an_unknown_pool()
    {
        var problem = Assert.Single(Assert.Throws<ConfigValidationException>(() => PoolDecisions.EnsureKnown(new PoolState("qa-pol", []))).Problems);

        Assert.Equal(("pool", "qa-pol"), (problem.Key, problem.Value));
        Assert.Contains("unknown pool", problem.Allowed, StringComparison.Ordinal);
        PoolDecisions.EnsureKnown(State(Fresh(1)));
    }

    [Fact]
    public void The_claim_output_is_read_from_its_last_json_line()
    {
        var claimed = new ClaimedMember(Pool, 2, PoolFixtures.Ready(Pool, 2));
        var stdout = $"Building...\n{{not json\n{PoolJson.Write(claimed)}\n";

        Assert.Equal(claimed, PoolJson.ParseClaimOutput(stdout));
        Assert.Throws<FormatException>(() => PoolJson.ParseClaimOutput("Building...\n"));
    }

    [Fact]
    public void A_ready_record_missing_a_field_is_unreadable_and_never_handed_out()
    {
        var state = PoolState.From(Pool, [new ObservedParameter(PoolPaths.Ready(Pool, 1), "{\"clusterIdentifier\":\"x\"}")]);

        Assert.Equal(MemberStatus.Unreadable, PoolDecisions.StatusOf(state.Member(1)!, Pool));
        Assert.Empty(PoolDecisions.ClaimOrder(state, "s"));
    }

    [Fact]
    public void Pool_config_problems_name_the_key_the_value_and_what_is_allowed()
    {
        Assert.Contains(Settings.Problems(("pool", "qa-pool"), ("poolSize", "3")), p => p.Key == "pool" && p.Allowed.Contains("either a pool", StringComparison.Ordinal));
        Assert.Contains(Settings.Problems(("poolSize", "21")), p => p.Key == "poolSize" && p.Allowed.Contains("0 (not a pool) to 20", StringComparison.Ordinal));
        Assert.Contains(Settings.Problems(("poolSize", "-1")), p => p.Key == "poolSize");
        Assert.Contains(Settings.Problems(("poolMaxAge", "30m")), p => p.Key == "poolMaxAge" && p.Allowed.Contains("1h to 30d", StringComparison.Ordinal));
        Assert.Contains(Settings.Problems(("poolFallback", "clone")), p => p.Key == "poolFallback" && p.Allowed.Contains("only when pool is set", StringComparison.Ordinal));
        Assert.Contains(Settings.Problems(("pool", "qa-pool"), ("poolFallback", "wait")), p => p.Key == "poolFallback");
        Assert.Contains(Settings.Problems(("pool", "qa-login-fix")), p => p.Key == "pool" && p.Allowed.Contains("this stack itself", StringComparison.Ordinal));
        Assert.Contains(Settings.Problems(("pool", "my pool")), p => p.Key == "pool");
    }

    [Fact]
    public void Pool_config_reads_into_the_stacks_role()
    {
        Assert.Equal(PoolRole.None, Settings.Read().Pool);
        Assert.Equal(PoolRole.None, Settings.With(("poolSize", "0"), ("poolMaxAge", "12h")).Pool);
        Assert.Equal(new PoolRole.PoolOf(3, TimeSpan.FromHours(24)), Settings.With(("poolSize", "3")).Pool);
        Assert.Equal(new PoolRole.ClaimFrom("qa-pool", PoolFallback.Clone), Settings.With(("pool", "qa-pool"), ("poolFallback", "clone")).Pool);
        Assert.Equal(new PoolRole.ClaimFrom("qa-pool", PoolFallback.Fail), Settings.With(("pool", "qa-pool")).Pool);
    }

    [Fact]
    public void A_claimer_claims_a_free_member_and_keeps_the_one_it_holds()
    {
        Assert.Equal(ClaimerChoice.Claim, PoolDecisions.ChooseForClaimer(State(Fresh(1)), "acme/qa-db/pr-9", PoolFallback.Fail));
        Assert.Equal(ClaimerChoice.Claim, PoolDecisions.ChooseForClaimer(State(Leased(1, "acme/qa-db/pr-9")), "acme/qa-db/pr-9", PoolFallback.Clone, "qa-pool-m1-db"));
    }

    [Fact]
    public void With_no_free_member_a_claimer_fails_or_falls_back_to_a_clone_as_configured()
    {
        var full = State(Leased(1, "acme/qa-db/pr-1"), Used(2));

        Assert.Equal(ClaimerChoice.Fail, PoolDecisions.ChooseForClaimer(full, "acme/qa-db/pr-9", PoolFallback.Fail));
        Assert.Equal(ClaimerChoice.Clone, PoolDecisions.ChooseForClaimer(full, "acme/qa-db/pr-9", PoolFallback.Clone));
    }

    [Fact]
    public void A_stack_running_its_own_fallback_clone_keeps_it_when_a_member_frees_up()
    {
        // Switching to a claim would make Pulumi destroy the clone the stack's testers are using.
        var freeAgain = State(Fresh(1), Leased(2, "acme/qa-db/pr-1"));

        Assert.Equal(ClaimerChoice.Clone, PoolDecisions.ChooseForClaimer(freeAgain, "acme/qa-db/pr-9", PoolFallback.Clone, "qadb-pr-9"));
        Assert.Equal(ClaimerChoice.Claim, PoolDecisions.ChooseForClaimer(freeAgain, "acme/qa-db/pr-9", PoolFallback.Clone, publishedCluster: null));
    }
}
