using QaDatabases.Configuration;
using QaDatabases.Expiry;
using QaDatabases.Preflight;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

/// <summary>maxEnvironments: what counts, what is new, what is never refused, and what the refusal says.</summary>
public class EnvironmentCapTests
{
    private static readonly DateTimeOffset Now = Settings.Now;

    /// <summary>A cluster the tool made from <paramref name="source"/>, for stack <paramref name="stack"/>, created <paramref name="daysAgo"/> days ago.</summary>
    private static TaggedCluster Clone(string stack, double daysAgo, string source = "prod-orders", string? owner = "alice", string? pullRequest = null, string? status = "available", params (string Key, string Value)[] extra)
    {
        var tags = new Dictionary<string, string>
        {
            ["qa-db:created-by"] = "qa-databases",
            ["qa-db:stack"] = $"acme/qa-db/{stack}",
            ["qa-db:source-cluster"] = source,
            ["qa-db:expires-at"] = "2026-11-27T12:00:00Z",
        };
        if (owner is not null)
        {
            tags["qa-db:owner"] = owner;
        }

        if (pullRequest is not null)
        {
            tags["qa-db:pull-request"] = pullRequest;
        }

        foreach (var (key, value) in extra)
        {
            tags[key] = value;
        }

        return new TaggedCluster($"qadb-{stack}", tags, status, Now.AddDays(-daysAgo));
    }

    private static TaggedCluster Member(string pool, int n, double daysAgo) =>
        Clone(pool, daysAgo, extra: [("qa-db:pool", pool), ("qa-db:pool-member", n.ToString(System.Globalization.CultureInfo.InvariantCulture))]) with { ClusterIdentifier = $"qadb-{pool}-m{n}" };

    private static List<TaggedCluster> Others(int count) => Enumerable.Range(1, count).Select(i => Clone($"pr-{i}", i, pullRequest: i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();

    private static StackSettings Stack(string stack = "qa-login-fix", params (string Key, string Value)[] config)
    {
        var raw = Settings.MinimalRaw();
        foreach (var (key, value) in config)
        {
            raw[key] = value;
        }

        return Settings.Read(raw, stack);
    }

    [Fact]
    public void The_cap_is_ten_unless_configured()
    {
        Assert.Equal(10, Stack().MaxEnvironments);
        Assert.Equal(25, Stack(config: ("maxEnvironments", "25")).MaxEnvironments);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("ten")]
    [InlineData("-1")]
    public void A_cap_outside_1_to_1000_is_refused_naming_the_key(string value)
    {
        var problem = Assert.Single(Settings.Problems(("maxEnvironments", value)));

        Assert.Equal(("maxEnvironments", value), (problem.Key, problem.Value));
        Assert.Contains("from 1 to 1000", problem.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pool_larger_than_the_cap_is_refused_before_anything_is_declared()
    {
        var problem = Assert.Single(Settings.Problems(("poolSize", "6"), ("maxEnvironments", "5")));

        Assert.Equal("maxEnvironments", problem.Key);
        Assert.Contains("poolSize 6", problem.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_environment_below_the_cap_adds_one()
    {
        var verdict = EnvironmentCap.Evaluate(Stack(), Others(9));

        Assert.Equal((9, 1, 10), (verdict.Existing, verdict.Adding, verdict.Max));
        Assert.False(verdict.Refused);
    }

    [Fact]
    public void A_new_environment_beyond_the_cap_is_refused()
    {
        var verdict = EnvironmentCap.Evaluate(Stack(), Others(10));

        Assert.True(verdict.Refused);
    }

    [Fact]
    public void An_existing_environments_up_is_never_refused_even_above_the_cap()
    {
        var clusters = Others(12);
        clusters.Add(Clone("qa-login-fix", 1));

        var verdict = EnvironmentCap.Evaluate(Stack(), clusters);

        Assert.Equal((13, 0), (verdict.Existing, verdict.Adding));
        Assert.False(verdict.Refused);
    }

    [Fact]
    public void A_refresh_finds_the_environment_by_its_stack_tag_whatever_its_generation()
    {
        var clusters = Others(10);
        clusters.Add(Clone("qa-login-fix", 1) with { ClusterIdentifier = "qadb-qa-login-fix-g4" });

        Assert.False(EnvironmentCap.Evaluate(Stack(config: ("cloneGeneration", "5")), clusters).Refused);
    }

    [Fact]
    public void Only_clusters_the_tool_made_from_the_same_source_and_not_being_deleted_count()
    {
        var clusters = Others(9);
        clusters.Add(Clone("pr-90", 1, source: "prod-billing"));
        clusters.Add(Clone("pr-91", 1, status: "deleting"));
        clusters.Add(Clone("pr-92", 1) with { Tags = new Dictionary<string, string> { ["qa-db:source-cluster"] = "prod-orders" } });
        clusters.Add(Clone("pr-93", 1) with { Tags = new Dictionary<string, string>(Clone("pr-93", 1).Tags) { ["qa-db:source-cluster"] = "PROD-ORDERS" } });

        var verdict = EnvironmentCap.Evaluate(Stack(), clusters);

        Assert.Equal(10, verdict.Existing);
        Assert.DoesNotContain(verdict.Environments, c => c.ClusterIdentifier is "qadb-pr-90" or "qadb-pr-91" or "qadb-pr-92");
    }

    [Fact]
    public void Pool_members_count_as_environments()
    {
        var clusters = Others(7);
        clusters.AddRange([Member("qa-pool", 1, 2), Member("qa-pool", 2, 2), Member("qa-pool", 3, 2)]);

        Assert.True(EnvironmentCap.Evaluate(Stack(), clusters).Refused);
    }

    [Fact]
    public void A_pools_refill_re_clones_existing_members_and_adds_nothing()
    {
        var clusters = Others(9);
        clusters.AddRange([Member("qa-pool", 1, 2), Member("qa-pool", 2, 2)]);

        var verdict = EnvironmentCap.Evaluate(Stack("qa-pool", ("poolSize", "2")), clusters);

        Assert.Equal((11, 0), (verdict.Existing, verdict.Adding));
        Assert.False(verdict.Refused);
    }

    [Fact]
    public void Growing_a_pool_adds_its_new_members()
    {
        var clusters = Others(6);
        clusters.AddRange([Member("qa-pool", 1, 2), Member("qa-pool", 2, 2)]);

        var grown = EnvironmentCap.Evaluate(Stack("qa-pool", ("poolSize", "4")), clusters);
        var tooMuch = EnvironmentCap.Evaluate(Stack("qa-pool", ("poolSize", "5")), clusters);

        Assert.Equal((8, 2), (grown.Existing, grown.Adding));
        Assert.False(grown.Refused);
        Assert.Equal(3, tooMuch.Adding);
        Assert.True(tooMuch.Refused);
    }

    [Fact]
    public void The_refusal_lists_the_oldest_environments_with_owner_pull_request_age_and_expiry()
    {
        var settings = Stack();
        var clusters = Others(10);
        clusters.Add(Member("qa-pool", 1, 20));

        var message = EnvironmentCap.RefusalMessage(settings, EnvironmentCap.Evaluate(settings, clusters), Now);

        var lines = message.Split(Environment.NewLine);
        Assert.StartsWith("11 environment(s) cloned from 'prod-orders' exist (pool members included) and the cap is 10 (qa-db:maxEnvironments); this stack would add 1.", lines[0], StringComparison.Ordinal);
        Assert.Equal("qadb-qa-pool-m1 (acme/qa-db/qa-pool): owner alice, no pull request, 20d 0h old, member 1 of pool qa-pool, re-cloned by its refill, never expires", lines[1].Trim());
        Assert.Equal("qadb-pr-10 (acme/qa-db/pr-10): owner alice, pull request 10, 10d 0h old, expires 2026-11-27T12:00:00Z", lines[2].Trim());
        Assert.Equal("qadb-pr-7 (acme/qa-db/pr-7): owner alice, pull request 7, 7d 0h old, expires 2026-11-27T12:00:00Z", lines[5].Trim());
        Assert.Equal("... and 6 more (qa-db expired --clusters lists them all)", lines[6].Trim());
        Assert.EndsWith("or raise the cap: pulumi config set maxEnvironments 12", lines[7], StringComparison.Ordinal);
    }

    [Fact]
    public void An_environment_without_owner_or_creation_time_is_listed_as_such()
    {
        var cluster = Clone("pr-5", 0, owner: null) with { CreatedAt = null };

        Assert.Equal("qadb-pr-5 (acme/qa-db/pr-5): no owner tag, no pull request, age unknown, expires 2026-11-27T12:00:00Z", EnvironmentCap.Describe(cluster, Now));
    }

    [Theory]
    [InlineData(0, 12, "12m")]
    [InlineData(5, 20, "5h 20m")]
    [InlineData(75, 0, "3d 3h")]
    public void Ages_read_as_people_say_them(int hours, int minutes, string expected) =>
        Assert.Equal(expected, EnvironmentCap.FormatAge(new TimeSpan(hours, minutes, 0)));

    [Fact]
    public void The_preflight_fails_a_new_environment_beyond_the_cap_under_its_own_rule()
    {
        var facts = new PreflightFacts(
            new SourceClusterState("prod-orders", "available", "aurora-postgresql", 1, null, "prod-private", ["eu-west-1a"], null, null),
            new SubnetGroupState("prod-private", "vpc-0a1b2c3d4e5f60718", ["eu-west-1a"]), null, null, 0)
        { Clusters = Others(10) };

        var refused = PreflightCheck.Evaluate(Stack(), facts, Now);
        var unread = PreflightCheck.Evaluate(Stack(), facts with { Clusters = null }, Now);

        Assert.Equal("environment-cap", Assert.Single(refused.Failures).Rule);
        Assert.Equal(10, refused.Cap!.Existing);
        Assert.True(unread.Passed);
        Assert.Null(unread.Cap);
    }
}
