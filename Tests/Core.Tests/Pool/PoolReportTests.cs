using QaDatabases.Cli;
using QaDatabases.Expiry;
using QaDatabases.Pool;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests.Pool;

/// <summary><c>qa-db pool</c>: the members as AWS's own answers (describe-db-clusters, get-parameters-by-path) show them.</summary>
public class PoolReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static string Fixture(string name) => Repo.PathOf("Tests", "Core.Tests", "Fixtures", name);

    [Fact]
    public void Each_member_is_reported_with_its_status_age_and_data_time()
    {
        var state = PoolState.From("qa-pool", PoolReport.ParseGetParametersByPath(File.ReadAllText(Fixture("pool-parameters.json"))));
        var clusters = ExpiryReport.ParseDescribeDbClusters(File.ReadAllText(Fixture("pool-clusters.json")));

        var members = PoolReport.Evaluate(state, clusters, Now);

        Assert.Equal([MemberStatus.Free, MemberStatus.Leased, MemberStatus.Used, MemberStatus.Refilling], members.Select(m => m.Status));
        Assert.Equal("leased by acme/qa-db/pr-42 since 2026-11-25T07:15:00Z", members[1].Detail);
        Assert.StartsWith("used (released by acme/qa-db/pr-40 at 2026-11-25T06:00:00Z)", members[2].Detail, StringComparison.Ordinal);
        Assert.Equal("refilling since 2026-11-25T07:50:00Z", members[3].Detail);
        Assert.Equal(TimeSpan.FromHours(3) - TimeSpan.FromSeconds(12.345), members[0].Age);
        Assert.Equal("2026-11-25T05:00:00Z", members[0].DataTime);
        Assert.Equal(("qa-pool-m4-db-g2", "creating"), (members[3].ClusterIdentifier, members[3].ClusterStatus));
        Assert.Null(members[3].DataTime);
    }

    [Theory]
    [InlineData("2026-11-25T07:59:59Z", ", EXPIRED at 2026-11-25T07:59:59Z")]
    [InlineData("2026-11-28T07:15:00Z", ", until 2026-11-28T07:15:00Z")]
    public void A_claims_expiry_is_shown_and_an_expired_one_stands_out(string expiresAt, string expected)
    {
        var lease = PoolJson.Write(new MemberLease("acme/qa-db/pr-42", "2026-11-25T07:15:00Z", expiresAt));
        var state = PoolState.From("qa-pool", [
            new ObservedParameter(PoolPaths.Ready("qa-pool", 1), PoolJson.Write(PoolFixtures.Ready("qa-pool", 1))),
            new ObservedParameter(PoolPaths.Lease("qa-pool", 1), lease),
        ]);

        var member = Assert.Single(PoolReport.Evaluate(state, [], Now));

        Assert.Equal("leased by acme/qa-db/pr-42 since 2026-11-25T07:15:00Z" + expected, member.Detail);
    }

    [Fact]
    public async Task The_command_prints_one_line_per_member()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await QaDbCli.RunAsync(["pool", "--pool", "qa-pool", "--clusters", Fixture("pool-clusters.json"), "--leases", Fixture("pool-parameters.json"), "--now", "2026-11-25T08:00:00Z"], stdout, stderr);

        Assert.True(exit == 0, stderr.ToString());
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Pool qa-pool at 2026-11-25T08:00:00Z: 4 member(s), 1 free.", lines[0]);
        Assert.Matches(@"^  m1 +qa-pool-m1-db +available +age 2h59m +data 2026-11-25T05:00:00Z +free$", lines[1]);
        Assert.Matches(@"^  m2 +qa-pool-m2-db-g2 +available +age 1d2h +data 2026-11-24T05:00:00Z +leased by acme/qa-db/pr-42 since 2026-11-25T07:15:00Z$", lines[2]);
        Assert.Equal(5, lines.Length);
    }

    [Fact]
    public void The_expiry_sweep_never_destroys_a_pool_stack_for_one_of_its_members()
    {
        var clusters = ExpiryReport.ParseDescribeDbClusters(File.ReadAllText(Fixture("pool-clusters.json")));

        var verdicts = ExpiryReport.Evaluate(clusters, Now);

        Assert.All(verdicts.Where(v => v.Cluster.ClusterIdentifier.StartsWith("qa-pool-", StringComparison.Ordinal)), v =>
        {
            Assert.Equal(ExpiryState.PoolMember, v.State);
            Assert.Empty(v.Commands);
        });
        Assert.Equal(ExpiryState.NoExpiryTag, Assert.Single(verdicts, v => v.Cluster.ClusterIdentifier == "pr-101-db").State);
    }
}
