using QaDatabases.Aws;
using QaDatabases.Pool;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests.Pool;

/// <summary>
/// A claim leases a member and then re-checks it under the lease. These tests make the race the
/// re-check exists for happen every time: a store in front of moto's SSM changes the member after
/// the claimer's state read and just before its lease.
/// </summary>
[Collection(MotoTests.Name)]
public class ClaimRecheckTests(MotoServer moto)
{
    private const string Claimer = "acme/qa-db/pr-1";
    private const string Other = "acme/qa-db/pr-2";

    private static string NewPool() => "recheck-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The pool's refill of member 1, as its `pulumi up` runs it: lease, the new clone's ready record (generation 2), done.</summary>
    private static async Task RefillAsync(SsmPoolStore ssm, string pool, bool masked)
    {
        var refill = new PoolLeases(ssm);
        Assert.True((await refill.LeaseForRefillAsync(pool, 1, CancellationToken.None)).Succeeded);
        await ssm.PutAsync(PoolPaths.Ready(pool, 1), PoolJson.Write(PoolFixtures.Ready(pool, 1, generation: 2, masked: masked)), CancellationToken.None);
        Assert.True((await refill.FinishRefillAsync(pool, 1, CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task A_member_claimed_used_and_released_between_the_claimers_read_and_its_lease_is_not_handed_out()
    {
        var pool = NewPool();
        using var ssm = moto.Store();
        await ssm.PutAsync(PoolPaths.Ready(pool, 1), PoolJson.Write(PoolFixtures.Ready(pool, 1)), CancellationToken.None);
        var store = new InterleavingStore(ssm, async () =>
        {
            var others = new PoolLeases(ssm);
            Assert.NotNull((await others.ClaimAsync(pool, Other, CancellationToken.None)).Claimed);
            Assert.True((await others.ReleaseAsync(pool, Other, 1, CancellationToken.None)).Succeeded);
        });

        var result = await new PoolLeases(store).ClaimAsync(pool, Claimer, CancellationToken.None);

        Assert.Null(result.Claimed);
        var member = Assert.Single((await ssm.ReadAsync(pool, CancellationToken.None)).Members);
        Assert.Null(member.Lease); // the claimer gave back the lease it took on a used member
        Assert.Equal(Other, member.Used?.By);
    }

    [Fact]
    public async Task A_member_re_cloned_between_the_claimers_read_and_its_lease_is_handed_out_with_its_new_ready_record()
    {
        var pool = NewPool();
        using var ssm = moto.Store();
        await ssm.PutAsync(PoolPaths.Ready(pool, 1), PoolJson.Write(PoolFixtures.Ready(pool, 1, generation: 1)), CancellationToken.None);
        var store = new InterleavingStore(ssm, () => RefillAsync(ssm, pool, masked: true));

        var result = await new PoolLeases(store).ClaimAsync(pool, Claimer, CancellationToken.None);

        var claimed = Assert.IsType<ClaimedMember>(result.Claimed);
        Assert.Equal(2, claimed.Ready.Generation);
        Assert.Equal($"{pool}-m1-db-g2", claimed.Ready.ClusterIdentifier); // not the deleted generation 1 the state read saw
    }

    [Fact]
    public async Task A_member_re_cloned_unmasked_between_the_claimers_read_and_its_lease_is_not_handed_to_a_stack_that_refuses_unmasked_data()
    {
        var pool = NewPool();
        using var ssm = moto.Store();
        await ssm.PutAsync(PoolPaths.Ready(pool, 1), PoolJson.Write(PoolFixtures.Ready(pool, 1, generation: 1)), CancellationToken.None);
        var store = new InterleavingStore(ssm, () => RefillAsync(ssm, pool, masked: false));

        var result = await new PoolLeases(store).ClaimAsync(pool, Claimer, CancellationToken.None, acceptUnmasked: false);

        Assert.Null(result.Claimed);
        Assert.Null(Assert.Single((await ssm.ReadAsync(pool, CancellationToken.None)).Members).Lease);
    }

    [Fact]
    public async Task A_claimers_own_lease_on_a_member_since_marked_used_is_given_back_and_another_member_claimed()
    {
        // What a release that stopped between its used mark and its lease delete leaves behind.
        var pool = NewPool();
        using var ssm = moto.Store();
        for (var n = 1; n <= 2; n++)
        {
            await ssm.PutAsync(PoolPaths.Ready(pool, n), PoolJson.Write(PoolFixtures.Ready(pool, n)), CancellationToken.None);
        }

        await ssm.PutAsync(PoolPaths.Lease(pool, 1), PoolJson.Write(new MemberLease(Claimer, "2026-11-25T06:00:00Z")), CancellationToken.None);
        await ssm.PutAsync(PoolPaths.Used(pool, 1), PoolJson.Write(new MemberUsed(Claimer, "2026-11-25T07:00:00Z")), CancellationToken.None);

        var result = await new PoolLeases(ssm).ClaimAsync(pool, Claimer, CancellationToken.None);

        Assert.Equal(2, result.Claimed?.Member);
        var members = (await ssm.ReadAsync(pool, CancellationToken.None)).Members;
        Assert.Equal(MemberStatus.Used, PoolDecisions.StatusOf(members[0], pool));
        Assert.Equal(Claimer, members[1].Lease?.Holder);
    }

    /// <summary>SSM, except that just before the first lease is created, <paramref name="meanwhile"/> runs.</summary>
    private sealed class InterleavingStore(SsmPoolStore inner, Func<Task> meanwhile) : IPoolStore
    {
        private bool _interleaved;

        public Task<PoolState> ReadAsync(string pool, CancellationToken cancellationToken) => inner.ReadAsync(pool, cancellationToken);

        public Task<string?> ReadParameterAsync(string name, CancellationToken cancellationToken) => inner.ReadParameterAsync(name, cancellationToken);

        public Task<IReadOnlyDictionary<string, ObservedParameter>> GetAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) =>
            inner.GetAsync(names, cancellationToken);

        public async Task<bool> TryCreateAsync(string name, string value, CancellationToken cancellationToken)
        {
            if (!_interleaved && name.EndsWith("/" + PoolPaths.LeaseLeaf, StringComparison.Ordinal))
            {
                _interleaved = true;
                await meanwhile();
            }

            return await inner.TryCreateAsync(name, value, cancellationToken);
        }

        public Task PutAsync(string name, string value, CancellationToken cancellationToken) => inner.PutAsync(name, value, cancellationToken);

        public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => inner.DeleteAsync(name, cancellationToken);
    }
}
