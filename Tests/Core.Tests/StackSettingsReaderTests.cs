using QaDatabases.Capacity;
using QaDatabases.Configuration;
using QaDatabases.Expiry;
using QaDatabases.Hooks;
using QaDatabases.Restore;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

public class StackSettingsReaderTests
{
    [Fact]
    public void Minimal_config_gets_the_documented_safe_defaults()
    {
        var settings = Settings.Read();

        Assert.Equal("prod-orders", settings.SourceClusterIdentifier);
        Assert.IsType<RestoreChoice.LatestRestorableTime>(settings.Restore);
        var serverless = Assert.IsType<InstanceSizing.Serverless>(settings.Sizing);
        Assert.Equal(new ServerlessScaling(0, 4, 600), serverless.Scaling);
        Assert.Null(settings.DbSubnetGroupName);
        Assert.Equal("/qa/qa-login-fix/db/", settings.SsmPrefix);
        Assert.Equal(new ExpiryPolicy.TimeToLive(TimeSpan.FromHours(72)), settings.Expiry);
        Assert.Equal(1, settings.CloneGeneration);
        Assert.Equal("SELECT 1", settings.Hooks.SmokeCheckQuery);
        Assert.False(settings.Masking.AllowUnmaskedData);
        Assert.True(settings.RunPreflight);
        Assert.Equal(["10.40.0.0/16"], settings.Ingress.Ipv4Cidrs);
        Assert.Equal("qadb-", settings.ClonePrefix);
    }

    [Theory]
    [InlineData("sourceCluster", null, "is required")]
    [InlineData("sourceCluster", "1prod", "starting with a letter")]
    [InlineData("sourceCluster", "prod--orders", "single hyphens")]
    [InlineData("sourceCluster", "prod-orders-", "not ending with a hyphen")]
    [InlineData("sourceCluster", "prod_orders", "letters, digits and single hyphens")]
    [InlineData("vpcId", null, "is required: the VPC of the clone's security group")]
    [InlineData("vpcId", "vpc-xyz", "expected a VPC id: vpc- followed by 8 or 17 hex digits")]
    [InlineData("restoreTime", "2026-11-20 08:00:00", "RFC 3339")]
    [InlineData("restoreTime", "2026-11-20T08:00:00+02:00", "UTC ending in Z")]
    [InlineData("restoreTime", "2026-11-25T08:00:00Z", "is in the future")]
    [InlineData("restoreTime", "2026-10-01T08:00:00Z", "35-day")]
    [InlineData("dbSubnetGroupName", "bad/name", "DB subnet group name")]
    [InlineData("instanceClass", "t4g.medium", "db.<family>.<size>")]
    [InlineData("instanceClass", "db.serverless.v2", "db.<family>.<size>")]
    [InlineData("serverlessMinCapacity", "-1", "from 0 to 256")]
    [InlineData("serverlessMinCapacity", "0.25", "steps of 0.5")]
    [InlineData("serverlessMinCapacity", "lots", "ACUs")]
    [InlineData("serverlessMaxCapacity", "0.5", "from 1 to 256")]
    [InlineData("serverlessMaxCapacity", "300", "from 1 to 256")]
    [InlineData("secondsUntilAutoPause", "60", "300 to 86400")]
    [InlineData("allowedCidrs", "[\"10.0.0.0/33\"]", "CIDR block")]
    [InlineData("allowedCidrs", "[\"10.0.0.1/16\"]", "host bits zero")]
    [InlineData("allowedCidrs", "[\"10.0/16\"]", "CIDR block")]
    [InlineData("allowedCidrs", "[\"0.0.0.0/0\"]", "whole internet")]
    [InlineData("allowedCidrs", "[\"::/0\"]", "whole internet")]
    [InlineData("allowedCidrs", "10.0.0.0/16", "list of non-empty strings")]
    [InlineData("allowedSecurityGroupIds", "[\"sg-123\"]", "security group id")]
    [InlineData("allowPublicIngress", "yes", "true or false")]
    [InlineData("ssmPrefix", "qa/db/", "starts with '/'")]
    [InlineData("clonePrefix", "qadb", "ending with '-'")]
    [InlineData("clonePrefix", "QA-", "lower-case letter")]
    [InlineData("clonePrefix", "sg-qa-", "must not start with sg-")]
    [InlineData("sourceCluster", "qadb-orders", "starts with the clone prefix 'qadb-'")]
    [InlineData("sourceCluster", "QADB-Orders", "starts with the clone prefix 'qadb-'")]
    [InlineData("ssmPrefix", "/aws/qa/", "not under /aws or /ssm")]
    [InlineData("ssmPrefix", "/qa//db/", "no '//'")]
    [InlineData("ttl", "3 days", "m, h or d")]
    [InlineData("ttl", "10m", "from 30m to 90d")]
    [InlineData("ttl", "91d", "from 30m to 90d")]
    [InlineData("expiresAt", "tomorrow", "RFC 3339")]
    [InlineData("expiresAt", "2026-11-01T00:00:00Z", "already past")]
    [InlineData("cloneGeneration", "0", "from 1 to 999")]
    [InlineData("cloneGeneration", "1000", "from 1 to 999")]
    [InlineData("cloneGeneration", "two", "from 1 to 999")]
    [InlineData("pullRequest", "#12", "pull request number")]
    [InlineData("connectionRoute", "vpn", "none, direct, ssm-port-forward")]
    [InlineData("bastionInstanceId", "bastion-1", "i- followed by")]
    [InlineData("smokeCheckQuery", "  ", "expected a query")]
    [InlineData("databaseName", "1db", "database name")]
    [InlineData("preflight", "maybe", "true or false")]
    [InlineData("sourceClusterId", "prod", "not a key this program reads")]
    public void Each_bad_value_is_refused_naming_the_key_the_value_and_what_is_allowed(string key, string? value, string allowed)
    {
        var problem = Assert.Single(Settings.Problems((key, value)));

        Assert.Equal(key, problem.Key);
        if (value is null)
        {
            Assert.Null(problem.Value);
        }
        else
        {
            // A list's problem names the offending item; a scalar's names the whole value.
            Assert.Contains(problem.Value!, value, StringComparison.Ordinal);
        }

        Assert.Contains(allowed, problem.Allowed, StringComparison.Ordinal);
        Assert.Contains($"qa-db:{key}", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_in_one_message()
    {
        var e = Assert.Throws<ConfigValidationException>(() => Settings.Read(new Dictionary<string, string>
        {
            ["vpcId"] = "vpc-nope",
            ["ttl"] = "forever",
            ["serverlessMinCapacity"] = "8",
            ["serverlessMaxCapacity"] = "2",
            ["allowedCidrs"] = "[\"0.0.0.0/0\"]",
        }));

        // A config that masks nothing is refused too: privacy by default.
        Assert.Equal(["sourceCluster", "vpcId", "serverlessMaxCapacity", "allowedCidrs", "ttl", "allowUnmaskedData"], e.Problems.Select(p => p.Key));
        Assert.Contains("6 problems", e.Message, StringComparison.Ordinal);
        Assert.Contains("qa-db:serverlessMaxCapacity = '2': must be at least serverlessMinCapacity (8)", e.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was declared", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_internet_is_admitted_only_with_the_explicit_opt_in()
    {
        var settings = Settings.With(("allowedCidrs", "[\"0.0.0.0/0\", \"::/0\"]"), ("allowPublicIngress", "true"));

        Assert.Equal(["0.0.0.0/0"], settings.Ingress.Ipv4Cidrs);
        Assert.Equal(["::/0"], settings.Ingress.Ipv6Cidrs);
    }

    [Fact]
    public void Cidrs_are_split_by_family_normalised_and_deduplicated()
    {
        var settings = Settings.With(
            ("allowedCidrs", "[\"10.40.0.0/16\", \"2001:db8::/48\", \"10.40.0.0/16\", \"192.168.7.9/32\"]"),
            ("allowedSecurityGroupIds", "[\"sg-0123456789abcdef0\", \"sg-0123456789abcdef0\", \"sg-1234abcd\"]"));

        Assert.Equal(["10.40.0.0/16", "192.168.7.9/32"], settings.Ingress.Ipv4Cidrs);
        Assert.Equal(["2001:db8::/48"], settings.Ingress.Ipv6Cidrs);
        Assert.Equal(["sg-0123456789abcdef0", "sg-1234abcd"], settings.Ingress.SecurityGroupIds);
    }

    [Fact]
    public void A_past_utc_restore_time_within_retention_is_a_point_in_time_restore()
    {
        var settings = Settings.With(("restoreTime", "2026-11-20T08:00:00Z"));

        var pit = Assert.IsType<RestoreChoice.PointInTime>(settings.Restore);
        Assert.Equal("2026-11-20T08:00:00Z", pit.RestoreToTime);
        Assert.Equal("point-in-time 2026-11-20T08:00:00Z", settings.Restore.Mode);
    }

    [Fact]
    public void Auto_pause_is_sent_only_when_the_minimum_is_zero()
    {
        var settings = Settings.With(("serverlessMinCapacity", "0.5"), ("serverlessMaxCapacity", "8"), ("secondsUntilAutoPause", "900"));

        Assert.Equal(new ServerlessScaling(0.5, 8, null), Assert.IsType<InstanceSizing.Serverless>(settings.Sizing).Scaling);
    }

    [Fact]
    public void A_provisioned_class_refuses_serverless_settings_it_would_ignore()
    {
        Assert.IsType<InstanceSizing.Provisioned>(Settings.With(("instanceClass", "db.t4g.medium")).Sizing);

        var problem = Assert.Single(Settings.Problems(("instanceClass", "db.r7g.large"), ("serverlessMaxCapacity", "16")));
        Assert.Equal("serverlessMaxCapacity", problem.Key);
        Assert.Contains("applies only when instanceClass is db.serverless", problem.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void An_absolute_expiry_overrides_the_ttl()
    {
        var settings = Settings.With(("expiresAt", "2026-12-01T18:00:00Z"), ("ttl", "5d"));

        Assert.Equal(new ExpiryPolicy.Fixed(new DateTimeOffset(2026, 12, 1, 18, 0, 0, TimeSpan.Zero)), settings.Expiry);
    }

    [Fact]
    public void Masking_needs_a_route_and_existing_safe_paths()
    {
        var noRoute = Assert.Single(Settings.Problems(("connectionRoute", "none"), ("maskingScripts", "[\"masking/postgres/01-mask-personal-data.sql\"]")));
        Assert.Equal("connectionRoute", noRoute.Key);

        var problems = Settings.Problems(
            ("connectionRoute", "direct"),
            ("maskingScripts", "[\"../secrets.sql\", \"masking/missing.sql\", \"masking/notes.txt\"]"));
        Assert.Equal(["../secrets.sql", "masking/missing.sql", "masking/notes.txt"], problems.Select(p => p.Value));
        Assert.Contains("no such file", problems[1].Allowed, StringComparison.Ordinal);

        var settings = Settings.With(("connectionRoute", "direct"), ("maskingScripts", "[\"masking/postgres/01-mask-personal-data.sql\"]"));
        Assert.Equal(["masking/postgres/01-mask-personal-data.sql"], settings.Hooks.MaskingScripts);
    }

    [Fact]
    public void Ssm_port_forwarding_requires_a_bastion()
    {
        var problem = Assert.Single(Settings.Problems(("connectionRoute", "ssm-port-forward")));
        Assert.Equal(("bastionInstanceId", null), (problem.Key, problem.Value));

        var settings = Settings.With(("connectionRoute", "ssm-port-forward"), ("bastionInstanceId", "i-0fedcba9876543210"));
        Assert.Equal(ConnectionRoute.SsmPortForward, settings.Hooks.Route);
    }

    [Theory]
    [InlineData("pr-123", "123")]
    [InlineData("pr-acme-orders-service-42", "42")]
    [InlineData("pr-pulumi-acme-qa-db-7", "7")]
    [InlineData("qa-login-fix", null)]
    [InlineData("pr-0", null)]
    [InlineData("release-123", null)]
    public void A_review_stack_name_supplies_the_pull_request_number(string stack, string? expected)
    {
        Assert.Equal(expected, Settings.Read(stack: stack).PullRequest);
    }

    [Fact]
    public void Configured_pull_request_wins_over_the_stack_name()
    {
        var raw = Settings.MinimalRaw();
        raw["pullRequest"] = "99";

        Assert.Equal("99", Settings.Read(raw, stack: "pr-123").PullRequest);
    }

    [Fact]
    public void A_custom_ssm_prefix_gets_its_trailing_slash()
    {
        Assert.Equal("/teams/orders/qa/", Settings.With(("ssmPrefix", "/teams/orders/qa")).SsmPrefix);
    }
}
