using QaDatabases.Configuration;
using QaDatabases.Dns;
using QaDatabases.Planning;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests.Dns;

/// <summary>The stable host names: which zone ids are accepted, what the names are, and who gets none.</summary>
public class HostNamesTests
{
    private const string ZoneId = "Z0123456789ABCDEFGHIJ";

    private static readonly HostedZone Zone = new(ZoneId, "qa.example.internal", IsPrivate: true);

    private static readonly SourceCluster Source = new("prod-orders", "aurora-postgresql", "16.4", 5432, "prod-private", "orders");

    private static StackSettings WithZone(string stack = "qa-login-fix", params (string Key, string Value)[] extra)
    {
        var raw = Settings.MinimalRaw();
        raw["dnsZoneId"] = ZoneId;
        foreach (var (key, value) in extra)
        {
            raw[key] = value;
        }

        return Settings.Read(raw, stack);
    }

    [Theory]
    [InlineData("Z0123456789ABCDEFGHIJ")]
    [InlineData("Z2FDTNDATAQYW2")]
    public void A_hosted_zone_id_is_accepted(string id) =>
        Assert.Equal(id, Settings.With(("dnsZoneId", id)).DnsZoneId);

    [Fact]
    public void Without_a_zone_id_the_stack_has_no_host_names()
    {
        var settings = Settings.Read();

        Assert.Null(settings.DnsZoneId);
        Assert.Null(HostNames.For(settings, Zone));
    }

    [Theory]
    [InlineData("qa.example.internal")]
    [InlineData("z0123456789abcdefghij")]
    [InlineData("/hostedzone/Z0123456789ABCDEFGHIJ")]
    [InlineData("Z0123456789ABCDEFGHIJ0123456789ABCDEF")]
    public void Anything_but_a_zone_id_is_refused_naming_the_key_and_what_is_allowed(string value)
    {
        var problem = Assert.Single(Settings.Problems(("dnsZoneId", value)));

        Assert.Equal("dnsZoneId", problem.Key);
        Assert.Equal(value, problem.Value);
        Assert.Contains("Route 53 hosted zone id", problem.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void The_writer_and_reader_names_are_the_clones_identifier_under_the_zone()
    {
        var records = HostNames.For(WithZone(), Zone)!;

        Assert.Equal("qadb-qa-login-fix.qa.example.internal", records.WriterName);
        Assert.Equal("qadb-qa-login-fix-ro.qa.example.internal", records.ReaderName);
        Assert.Equal(ZoneId, records.ZoneId);
    }

    [Fact]
    public void A_stack_name_that_is_no_identifier_gets_the_same_collision_safe_mapping_as_its_clone()
    {
        var settings = WithZone("Feature/Login");
        var clone = Naming.ResourceNames.ForStack("Feature/Login");

        var records = HostNames.For(settings, Zone)!;

        Assert.Equal($"{clone.ClusterIdentifier}.qa.example.internal", records.WriterName);
        Assert.Matches("^qadb-feature-login-[0-9a-f]{6}\\.qa\\.example\\.internal$", records.WriterName);
    }

    [Fact]
    public void The_names_stay_the_same_when_the_data_is_refreshed()
    {
        var first = HostNames.For(WithZone(), Zone);
        var refreshed = HostNames.For(WithZone(extra: ("cloneGeneration", "7")), Zone);

        Assert.Equal(first, refreshed);
    }

    [Fact]
    public void A_stack_whose_name_ends_in_ro_never_gets_another_stacks_reader_name()
    {
        var orders = HostNames.For(WithZone("orders"), Zone)!;
        var ordersRo = HostNames.For(WithZone("orders-ro"), Zone)!;

        Assert.Equal("qadb-orders-ro.qa.example.internal", orders.ReaderName);
        Assert.NotEqual(orders.ReaderName, ordersRo.WriterName);
        Assert.Matches("^qadb-orders-ro-[0-9a-f]{6}\\.qa\\.example\\.internal$", ordersRo.WriterName);
        Assert.Equal("qadb-orders-ro", Naming.ResourceNames.ForStack("orders-ro").ClusterIdentifier);
    }

    [Fact]
    public void The_zone_name_is_written_as_route_53_normalizes_it()
    {
        var records = HostNames.For(WithZone(), Zone with { Name = "QA.Example.Internal." })!;

        Assert.Equal("qadb-qa-login-fix.qa.example.internal", records.WriterName);
        Assert.Equal("qa.example.internal", records.ZoneName);
    }

    [Fact]
    public void A_public_zone_is_refused_before_anything_is_declared()
    {
        var error = Assert.Throws<ConfigValidationException>(() => HostNames.For(WithZone(), Zone with { IsPrivate = false }));

        var problem = Assert.Single(error.Problems);
        Assert.Equal(("dnsZoneId", ZoneId), (problem.Key, problem.Value));
        Assert.Contains("public hosted zone qa.example.internal", problem.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zone_whose_names_would_be_longer_than_dns_allows_is_refused()
    {
        var longZone = string.Join('.', Enumerable.Repeat(new string('a', 60), 4));

        var error = Assert.Throws<ConfigValidationException>(() => HostNames.For(WithZone(), Zone with { Name = longZone }));

        Assert.Contains("longer than the 253 characters DNS allows", Assert.Single(error.Problems).Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void Pool_members_get_no_names_the_stack_that_claims_one_does()
    {
        var pool = WithZone("qa-pool", ("poolSize", "2"));
        var claimer = WithZone("pr-7", ("pool", "qa-pool"));

        Assert.Null(HostNames.For(pool, Zone));
        Assert.Equal("qadb-pr-7.qa.example.internal", HostNames.For(claimer, Zone)!.WriterName);
    }

    [Fact]
    public void The_plan_carries_the_records_and_publishes_the_names_as_host_and_reader_host()
    {
        var plan = EnvironmentPlanner.Plan(WithZone(), Source, Repo.Root, Zone);

        Assert.Equal("qadb-qa-login-fix.qa.example.internal", plan.HostRecords!.WriterName);
        Assert.Contains(plan.Parameters, p => p is { Name: "/qa/qa-login-fix/db/host", Value: PublishedValue.Host });
        Assert.Contains(plan.Parameters, p => p is { Name: "/qa/qa-login-fix/db/reader-host", Value: PublishedValue.ReaderHost });
    }

    [Fact]
    public void Offline_the_plan_has_no_records_since_the_zone_name_is_not_known()
    {
        var plan = EnvironmentPlanner.Plan(WithZone(), Source, Repo.Root);

        Assert.Null(plan.HostRecords);
    }
}
