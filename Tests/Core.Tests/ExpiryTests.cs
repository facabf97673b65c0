using QaDatabases.Configuration;
using QaDatabases.Expiry;
using QaDatabases.Tagging;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

public class ExpiryTests
{
    [Theory]
    [InlineData("30m", 0.5)]
    [InlineData("72h", 72)]
    [InlineData("3d", 72)]
    [InlineData("90d", 2160)]
    public void Ttls_parse_to_hours(string text, double hours)
    {
        Assert.True(ExpiryPolicy.TryParseTtl(text, out var ttl));
        Assert.Equal(hours, ttl.TotalHours);
    }

    [Theory]
    [InlineData("72")]
    [InlineData("h")]
    [InlineData("1w")]
    [InlineData("-3d")]
    [InlineData("1.5h")]
    public void Malformed_ttls_do_not_parse(string text) => Assert.False(ExpiryPolicy.TryParseTtl(text, out _));

    [Fact]
    public void The_expiry_tag_is_counted_from_the_recorded_creation_and_stays_put()
    {
        var policy = Settings.Read().Expiry;

        Assert.Equal("2026-11-27T09:30:00Z", policy.ExpiresAtTag("2026-11-24T09:30:00Z\n"));
        Assert.Equal(policy.ExpiresAtTag("2026-11-24T09:30:00Z"), policy.ExpiresAtTag("2026-11-24T09:30:00Z"));
        Assert.Equal("2026-12-01T18:00:00Z", Settings.With(("expiresAt", "2026-12-01T18:00:00Z")).Expiry.ExpiresAtTag("2026-11-24T09:30:00Z"));
        Assert.Throws<FormatException>(() => policy.ExpiresAtTag("Tue Nov 24 09:30:00 UTC 2026"));
    }

    [Fact]
    public void The_report_reads_describe_db_clusters_and_keeps_only_our_clusters()
    {
        var clusters = ExpiryReport.ParseDescribeDbClusters(File.ReadAllText(Repo.PathOf("Tests", "Core.Tests", "Fixtures", "describe-db-clusters.json")));

        Assert.Equal(["pr-101-db", "pr-102-db", "pr-103-db", "pr-104-db", "qa-orphan-db"], clusters.Select(c => c.ClusterIdentifier).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Each_environment_gets_a_verdict_and_only_expired_ones_get_commands()
    {
        var clusters = ExpiryReport.ParseDescribeDbClusters(File.ReadAllText(Repo.PathOf("Tests", "Core.Tests", "Fixtures", "describe-db-clusters.json")));

        var verdicts = ExpiryReport.Evaluate(clusters, Settings.Now).ToDictionary(v => v.Cluster.ClusterIdentifier);

        Assert.Equal(ExpiryState.Expired, verdicts["pr-101-db"].State);
        Assert.Equal(ExpiryState.Active, verdicts["pr-102-db"].State);
        Assert.Equal(ExpiryState.NoExpiryTag, verdicts["pr-103-db"].State);
        Assert.Equal(ExpiryState.MalformedExpiryTag, verdicts["pr-104-db"].State);
        Assert.Equal(ExpiryState.NoStackTag, verdicts["qa-orphan-db"].State);
        Assert.Equal(
            [
                ["pulumi", "destroy", "--stack", "acme/qa-db/pr-101", "--yes", "--skip-preview", "--non-interactive"],
                ["pulumi", "stack", "rm", "acme/qa-db/pr-101", "--yes", "--non-interactive"],
            ],
            verdicts["pr-101-db"].Commands);
        Assert.All(verdicts.Values.Where(v => v.State != ExpiryState.Expired), v => Assert.Empty(v.Commands));
    }

    [Fact]
    public void An_environment_expires_at_its_tag_exactly()
    {
        var cluster = new TaggedCluster("x-db", new Dictionary<string, string>
        {
            [ResourceTags.Stack] = "acme/qa-db/x",
            [ResourceTags.ExpiresAt] = UtcTimestamp.Format(Settings.Now),
        });

        Assert.Equal(ExpiryState.Expired, Assert.Single(ExpiryReport.Evaluate([cluster], Settings.Now)).State);
        Assert.Equal(ExpiryState.Active, Assert.Single(ExpiryReport.Evaluate([cluster], Settings.Now.AddSeconds(-1))).State);
    }

    [Fact]
    public void A_golden_is_never_expired_however_old_its_expiry_tag()
    {
        var golden = new TaggedCluster("qadb-qa-golden-g2", new Dictionary<string, string>
        {
            [ResourceTags.Stack] = "acme/qa-db/qa-golden",
            [ResourceTags.Role] = ResourceTags.GoldenRole,
            [ResourceTags.ExpiresAt] = UtcTimestamp.Format(Settings.Now.AddDays(-30)),
        });

        var verdict = Assert.Single(ExpiryReport.Evaluate([golden], Settings.Now));

        Assert.Equal(ExpiryState.Golden, verdict.State);
        Assert.Empty(verdict.Commands);
    }

    [Fact]
    public void Input_that_is_not_describe_db_clusters_output_is_refused()
    {
        Assert.Throws<FormatException>(() => ExpiryReport.ParseDescribeDbClusters("{\"Clusters\": []}"));
    }
}
