using QaDatabases.Aws;
using QaDatabases.Pool;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests.Pool;

/// <summary>
/// Claim, release and the refill's lease, run as the real <c>qa-db pool</c> processes a
/// <c>pulumi up</c>/<c>destroy</c> runs, against moto's SSM. Each test uses its own pool name.
/// </summary>
[Collection(MotoTests.Name)]
public class PoolLeaseMotoTests(MotoServer moto)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static string NewPool() => "pool-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Writes member records the way the pool stack does once a member's hooks passed.</summary>
    private async Task SeedAsync(string pool, int members, DateTimeOffset? createdAt = null)
    {
        using var store = moto.Store();
        for (var n = 1; n <= members; n++)
        {
            await store.PutAsync(PoolPaths.Ready(pool, n), PoolJson.Write(PoolFixtures.Ready(pool, n, createdAt: createdAt ?? Now)), CancellationToken.None);
        }
    }

    private Task<ScriptResult> QaDbAsync(params string[] arguments) => QaDbProcess.RunAsync(moto.ClientEnvironment(), arguments);

    private async Task<PoolState> StateAsync(string pool)
    {
        using var store = moto.Store();
        return await store.ReadAsync(pool, CancellationToken.None);
    }

    [Fact]
    public async Task Sixteen_concurrent_claimers_over_three_free_members_get_exactly_three_distinct_members()
    {
        var pool = NewPool();
        await SeedAsync(pool, 3);

        var results = await Task.WhenAll(Enumerable.Range(1, 16).Select(i =>
            QaDbAsync("pool", "claim", "--pool", pool, "--stack", $"acme/qa-db/pr-{i}")));

        var winners = results.Where(r => r.ExitCode == 0).ToList();
        var losers = results.Where(r => r.ExitCode != 0).ToList();
        Assert.Equal(3, winners.Count);
        Assert.Equal([1, 2, 3], winners.Select(r => PoolJson.ParseClaimOutput(r.Stdout).Member).Order());
        Assert.Equal(13, losers.Count);
        Assert.All(losers, r =>
        {
            Assert.Equal(PoolDecisions.NoFreeMemberExitCode, r.ExitCode);
            Assert.Contains($"no free member in pool {pool} (3 members: 3 leased, 0 used, 0 refilling)", r.Stderr, StringComparison.Ordinal);
        });

        // AWS's record agrees: three leases, each held by one of the winners.
        var state = await StateAsync(pool);
        var holders = state.Members.Select(m => m.Lease?.Holder).ToList();
        Assert.All(holders, Assert.NotNull);
        Assert.Equal(3, holders.Distinct().Count());
    }

    [Fact]
    public async Task A_member_published_unmasked_is_claimed_only_with_allow_unmasked_data()
    {
        var pool = NewPool();
        using (var store = moto.Store())
        {
            await store.PutAsync(PoolPaths.Ready(pool, 1), PoolJson.Write(PoolFixtures.Ready(pool, 1, createdAt: Now, masked: false)), CancellationToken.None);
        }

        var refused = await QaDbAsync("pool", "claim", "--pool", pool, "--stack", "acme/qa-db/pr-1");
        var allowed = await QaDbAsync("pool", "claim", "--pool", pool, "--stack", "acme/qa-db/pr-2", "--allow-unmasked-data");

        Assert.Equal(PoolDecisions.NoFreeMemberExitCode, refused.ExitCode);
        Assert.Contains("1 free but published unmasked, which this stack does not accept", refused.Stderr, StringComparison.Ordinal);
        Assert.True(allowed.ExitCode == 0, allowed.Stderr);
        var claimed = PoolJson.ParseClaimOutput(allowed.Stdout);
        Assert.Equal((1, false), (claimed.Member, claimed.Ready.Masked));
        Assert.Equal("acme/qa-db/pr-2", Assert.Single((await StateAsync(pool)).Members).Lease!.Holder);
    }

    [Fact]
    public async Task A_claim_records_the_claiming_stacks_expiry_in_its_lease()
    {
        var pool = NewPool();
        await SeedAsync(pool, 2);
        var before = DateTimeOffset.UtcNow;

        var byTtl = await QaDbAsync("pool", "claim", "--pool", pool, "--stack", "acme/qa-db/pr-1", "--ttl", "72h");
        var fixedTime = await QaDbAsync("pool", "claim", "--pool", pool, "--stack", "acme/qa-db/pr-2", "--expires-at", "2026-12-24T18:00:00Z");

        Assert.True(byTtl.ExitCode == 0, byTtl.Stderr);
        Assert.True(fixedTime.ExitCode == 0, fixedTime.Stderr);
        var leases = (await StateAsync(pool)).Members.ToDictionary(m => m.Lease!.Holder, m => m.Lease!.ExpiresAt);
        Assert.True(QaDatabases.Configuration.UtcTimestamp.TryParse(leases["acme/qa-db/pr-1"], out var expires), leases["acme/qa-db/pr-1"]);
        Assert.InRange(expires, before.AddHours(72).AddSeconds(-1), DateTimeOffset.UtcNow.AddHours(72));
        Assert.Equal("2026-12-24T18:00:00Z", leases["acme/qa-db/pr-2"]);
        Assert.Equal("2026-12-24T18:00:00Z", PoolJson.ParseClaimOutput(fixedTime.Stdout).ExpiresAt);
    }

    [Fact]
    public async Task A_released_member_is_marked_used_and_never_claimed_again_until_refilled()
    {
        var pool = NewPool();
        await SeedAsync(pool, 1);

        var first = await QaDbAsync("pool", "claim", "--pool", pool, "--stack", "acme/qa-db/pr-1");
        Assert.True(first.ExitCode == 0, first.Stderr);
        var release = await QaDbAsync("pool", "release", "--pool", pool, "--stack", "acme/qa-db/pr-1");
        Assert.True(release.ExitCode == 0, release.Stderr);

        var member = Assert.Single((await StateAsync(pool)).Members);
        Assert.Null(member.Lease);
        Assert.Equal("acme/qa-db/pr-1", member.Used!.By);

        var second = await QaDbAsync("pool", "claim", "--pool", pool, "--stack", "acme/qa-db/pr-2");
        Assert.Equal(PoolDecisions.NoFreeMemberExitCode, second.ExitCode);
        Assert.Contains("1 used", second.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_then_reclaim_takes_the_next_free_member_and_a_second_release_is_harmless()
    {
        var pool = NewPool();
        await SeedAsync(pool, 2);

        var a = PoolJson.ParseClaimOutput((await QaDbAsync("pool", "claim", "--pool", pool, "--stack", "acme/qa-db/a")).Stdout);
        Assert.Equal(0, (await QaDbAsync("pool", "release", "--pool", pool, "--stack", "acme/qa-db/a", "--member", a.Member.ToString(System.Globalization.CultureInfo.InvariantCulture))).ExitCode);
        Assert.Equal(0, (await QaDbAsync("pool", "release", "--pool", pool, "--stack", "acme/qa-db/a")).ExitCode);

        var b = await QaDbAsync("pool", "claim", "--pool", pool, "--stack", "acme/qa-db/a");
        Assert.True(b.ExitCode == 0, b.Stderr);
        Assert.NotEqual(a.Member, PoolJson.ParseClaimOutput(b.Stdout).Member);
    }

    [Fact]
    public async Task A_claim_run_again_by_the_same_stack_returns_the_member_it_already_holds()
    {
        var pool = NewPool();
        await SeedAsync(pool, 2);

        var first = PoolJson.ParseClaimOutput((await QaDbAsync("pool", "claim", "--pool", pool, "--stack", "acme/qa-db/pr-7")).Stdout);
        var again = PoolJson.ParseClaimOutput((await QaDbAsync("pool", "claim", "--pool", pool, "--stack", "acme/qa-db/pr-7")).Stdout);

        Assert.Equal(first.Member, again.Member);
        Assert.Single((await StateAsync(pool)).Members, m => m.Lease is not null);
    }

    [Fact]
    public async Task Only_the_holder_can_release_a_member()
    {
        var pool = NewPool();
        await SeedAsync(pool, 1);
        Assert.Equal(0, (await QaDbAsync("pool", "claim", "--pool", pool, "--stack", "acme/qa-db/owner")).ExitCode);

        var result = await QaDbAsync("pool", "release", "--pool", pool, "--stack", "acme/qa-db/intruder", "--member", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is leased by acme/qa-db/owner", result.Stderr, StringComparison.Ordinal);
        var member = Assert.Single((await StateAsync(pool)).Members);
        Assert.Equal("acme/qa-db/owner", member.Lease!.Holder);
        Assert.False(member.HasUsed);
    }

    [Fact]
    public async Task The_refill_chooses_used_and_aged_members_and_never_a_leased_one()
    {
        var pool = NewPool();
        await SeedAsync(pool, 4, createdAt: Now.AddHours(-30));
        await SeedAsync(pool, 1, createdAt: Now.AddHours(-2)); // member 1 is fresh

        // Member 2: claimed and still held (and aged). Member 3: claimed and released. Member 4: aged, free.
        var claims = new Dictionary<int, string>();
        while (claims.Count < 2)
        {
            var stack = $"acme/qa-db/s{claims.Count}";
            var claimed = PoolJson.ParseClaimOutput((await QaDbAsync("pool", "claim", "--pool", pool, "--stack", stack)).Stdout);
            claims[claimed.Member] = stack;
        }

        // Claims go wherever the spread sends them; re-label so the test states what each member is.
        var state = await StateAsync(pool);
        var held = state.Members.Where(m => m.Lease is not null).Select(m => m.Number).ToList();
        await QaDbAsync("pool", "release", "--pool", pool, "--stack", claims[held[1]]);
        state = await StateAsync(pool);

        var decisions = PoolDecisions.Refill(state, 4, TimeSpan.FromHours(24), Now).ToDictionary(d => d.Number);

        Assert.Equal(RefillAction.Keep, decisions[held[0]].Action);
        Assert.Equal(1, decisions[held[0]].Generation);
        Assert.Equal(RefillAction.Refill, decisions[held[1]].Action);
        Assert.StartsWith("used", decisions[held[1]].Reason, StringComparison.Ordinal);
        foreach (var untouched in new[] { 1, 2, 3, 4 }.Except(held))
        {
            var expected = untouched == 1 ? RefillAction.Keep : RefillAction.Refill;
            Assert.Equal(expected, decisions[untouched].Action);
            Assert.Equal(expected == RefillAction.Refill ? 2 : 1, decisions[untouched].Generation);
        }
    }

    [Fact]
    public async Task The_refill_lease_loses_to_a_claim_that_came_first_and_blocks_claims_while_it_is_held()
    {
        var pool = NewPool();
        await SeedAsync(pool, 2);
        var claimed = PoolJson.ParseClaimOutput((await QaDbAsync("pool", "claim", "--pool", pool, "--stack", "acme/qa-db/first")).Stdout);
        var other = claimed.Member == 1 ? 2 : 1;

        var refused = await QaDbAsync("pool", "refill-lease", "--pool", pool, "--member", claimed.Member.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("is leased by acme/qa-db/first", refused.Stderr, StringComparison.Ordinal);

        var refill = await QaDbAsync("pool", "refill-lease", "--pool", pool, "--member", other.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(refill.ExitCode == 0, refill.Stderr);
        var blocked = await QaDbAsync("pool", "claim", "--pool", pool, "--stack", "acme/qa-db/second");
        Assert.Equal(PoolDecisions.NoFreeMemberExitCode, blocked.ExitCode);
        Assert.Contains("1 leased, 0 used, 1 refilling", blocked.Stderr, StringComparison.Ordinal);

        Assert.Equal(0, (await QaDbAsync("pool", "refill-done", "--pool", pool, "--member", other.ToString(System.Globalization.CultureInfo.InvariantCulture))).ExitCode);
        var after = await QaDbAsync("pool", "claim", "--pool", pool, "--stack", "acme/qa-db/second");
        Assert.True(after.ExitCode == 0, after.Stderr);
        Assert.Equal(other, PoolJson.ParseClaimOutput(after.Stdout).Member);
    }

    [Fact]
    public async Task A_claim_on_an_unknown_pool_fails_saying_so()
    {
        var result = await QaDbAsync("pool", "claim", "--pool", NewPool(), "--stack", "acme/qa-db/x");

        Assert.Equal(PoolDecisions.NoFreeMemberExitCode, result.ExitCode);
        Assert.Contains("unknown pool", result.Stderr, StringComparison.Ordinal);
    }
}
