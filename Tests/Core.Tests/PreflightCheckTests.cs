using QaDatabases.Preflight;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

public class PreflightCheckTests
{
    private static readonly SourceClusterState Healthy = new(
        "prod-orders", "available", "aurora-postgresql", 2, "clone-group-1", "prod-private",
        ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
        Settings.Now.AddDays(-7), Settings.Now.AddMinutes(-5));

    private static readonly SubnetGroupState SourceSubnets = new("prod-private", "vpc-0a1b2c3d4e5f60718", ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);

    private static PreflightFacts Facts(SourceClusterState? source = null, SubnetGroupState? target = null, ClusterQuota? quota = null) =>
        new(source ?? Healthy, SourceSubnets, target, quota ?? new ClusterQuota(10, 40), 3);

    [Fact]
    public void A_healthy_source_passes_and_reports_its_clone_group()
    {
        var result = PreflightCheck.Evaluate(Settings.Read(), Facts());

        Assert.True(result.Passed);
        Assert.Equal(3, result.ClustersInCloneGroup);
    }

    [Fact]
    public void A_missing_source_is_one_clear_failure()
    {
        var result = PreflightCheck.Evaluate(Settings.Read(), new PreflightFacts(null, null, null, null, 0));

        Assert.Equal("source-exists", Assert.Single(result.Failures).Rule);
        Assert.Contains("prod-orders", result.Failures[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("source-available")]
    [InlineData("source-is-aurora")]
    [InlineData("source-has-instance")]
    public void Each_source_rule_fails_on_its_own(string rule)
    {
        var source = rule switch
        {
            "source-available" => Healthy with { Status = "stopped" },
            "source-is-aurora" => Healthy with { Engine = "postgres" },
            _ => Healthy with { InstanceCount = 0 },
        };

        var result = PreflightCheck.Evaluate(Settings.Read(), Facts(source));

        Assert.Equal(rule, Assert.Single(result.Failures).Rule);
    }

    [Fact]
    public void A_restore_time_outside_the_restorable_window_fails()
    {
        var tooEarly = Settings.With(("restoreTime", "2026-11-10T00:00:00Z"));

        var result = PreflightCheck.Evaluate(tooEarly, Facts());

        Assert.Equal("restore-time-in-window", Assert.Single(result.Failures).Rule);
    }

    [Fact]
    public void A_subnet_group_in_another_vpc_must_cover_the_sources_zones()
    {
        var settings = Settings.With(("dbSubnetGroupName", "qa-subnets"), ("vpcId", "vpc-0b1b2c3d4e5f60718"));

        var covered = PreflightCheck.Evaluate(settings, Facts(target: new("qa-subnets", "vpc-0b1b2c3d4e5f60718", ["eu-west-1a", "eu-west-1b", "eu-west-1c"])));
        var partial = PreflightCheck.Evaluate(settings, Facts(target: new("qa-subnets", "vpc-0b1b2c3d4e5f60718", ["eu-west-1a"])));

        Assert.True(covered.Passed);
        var failure = Assert.Single(partial.Failures);
        Assert.Equal("cross-vpc-availability-zones", failure.Rule);
        Assert.Contains("eu-west-1b, eu-west-1c", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_security_group_vpc_must_be_the_subnet_groups()
    {
        var result = PreflightCheck.Evaluate(Settings.With(("vpcId", "vpc-0ffffffffffffffff")), Facts());

        Assert.Equal("security-group-vpc", Assert.Single(result.Failures).Rule);
    }

    [Fact]
    public void A_configured_subnet_group_must_exist()
    {
        var result = PreflightCheck.Evaluate(Settings.With(("dbSubnetGroupName", "missing")), Facts());

        Assert.Equal("subnet-group-exists", Assert.Single(result.Failures).Rule);
    }

    [Fact]
    public void A_full_cluster_quota_fails()
    {
        Assert.True(PreflightCheck.Evaluate(Settings.Read(), Facts(quota: new ClusterQuota(39, 40))).Passed);

        var result = PreflightCheck.Evaluate(Settings.Read(), Facts(quota: new ClusterQuota(40, 40)));

        Assert.Equal("cluster-quota", Assert.Single(result.Failures).Rule);
    }

    [Fact]
    public void The_exception_lists_every_failure_with_the_source_name()
    {
        var failures = PreflightCheck.Evaluate(Settings.Read(), Facts(Healthy with { Status = "stopped", InstanceCount = 0 })).Failures;

        var e = new PreflightFailedException("prod-orders", failures);

        Assert.Equal(2, failures.Count);
        Assert.Contains("'prod-orders'", e.Message, StringComparison.Ordinal);
        Assert.Contains("[source-available]", e.Message, StringComparison.Ordinal);
        Assert.Contains("[source-has-instance]", e.Message, StringComparison.Ordinal);
    }
}
