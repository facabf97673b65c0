using System.Collections.Immutable;
using Pulumi;
using Pulumi.Testing;
using QaDatabases.Stacks;

namespace QaDatabases.Infra.Tests;

/// <summary>
/// The stable host names: two CNAMEs in the dnsZoneId zone, written once masking has passed, pointing
/// at whatever the stack serves (its clone, the next generation, the member it claimed), and what
/// connects through them.
/// </summary>
public class HostRecordsTests
{
    private const string Record = "aws:route53/record:Record";
    private const string Command = "command:local:Command";
    private const string Parameter = "aws:ssm/parameter:Parameter";
    private const string Writer = "qadb-pr-123.qa.example.internal";
    private const string Reader = "qadb-pr-123-ro.qa.example.internal";

    private static readonly (string Key, string Value)[] WithZoneAndHooks =
        [("dnsZoneId", RecordingMocks.ZoneId), ("connectionRoute", "direct"), ("maskingScripts", "[\"masking/postgres/01-mask-personal-data.sql\"]")];

    private static Task<ProgramRun> UpAsync(params (string Key, string Value)[] extra) => ProgramRun.UpAsync(ProgramRun.Config([.. WithZoneAndHooks, .. extra]));

    private static RegisteredResource Named(ProgramRun run, string type, string name) => Assert.Single(run.Mocks.Resources, r => r.Type == type && r.Name == name);

    private static IEnumerable<string> Strings(object list) => ((IEnumerable<object>)list).Cast<string>();

    [Fact]
    public async Task The_names_are_cnames_in_the_zone_to_the_clones_endpoints_with_a_short_ttl()
    {
        var run = await UpAsync();

        var host = Named(run, Record, "host");
        var reader = Named(run, Record, "reader-host");
        Assert.Equal((RecordingMocks.ZoneId, Writer, "CNAME", 5), ((string)host.Inputs["zoneId"], (string)host.Inputs["name"], (string)host.Inputs["type"], Convert.ToInt32(host.Inputs["ttl"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["qadb-pr-123.cluster-abc123.eu-west-1.rds.amazonaws.com"], Strings(host.Inputs["records"]));
        Assert.Equal((RecordingMocks.ZoneId, Reader, "CNAME"), ((string)reader.Inputs["zoneId"], (string)reader.Inputs["name"], (string)reader.Inputs["type"]));
        Assert.Equal(["qadb-pr-123.cluster-ro-abc123.eu-west-1.rds.amazonaws.com"], Strings(reader.Inputs["records"]));
        // A record under the name that this stack did not create is never taken over.
        Assert.All(new[] { host, reader }, r => Assert.False(r.Inputs.TryGetValue("allowOverwrite", out var overwrite) && Equals(overwrite, true)));
    }

    [Fact]
    public async Task The_zone_is_looked_up_by_id_read_only()
    {
        var run = await UpAsync();

        var (_, args) = Assert.Single(run.Mocks.Calls, c => c.Token == "aws:route53/getZone:getZone");
        Assert.Equal(RecordingMocks.ZoneId, args["zoneId"]);
        Assert.DoesNotContain(run.Mocks.Resources, r => r.Type.StartsWith("aws:route53/zone", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_names_are_written_after_masking_and_the_smoke_check_connects_through_them()
    {
        var run = await UpAsync();

        Assert.Equal(["masking"], await ProgramRun.DependsOnAsync(run.OptionsOf(Record, "host").Options));
        Assert.Equal(["masking"], await ProgramRun.DependsOnAsync(run.OptionsOf(Record, "reader-host").Options));
        Assert.Equal(["host-names"], await ProgramRun.DependsOnAsync(run.OptionsOf(Command, "smoke-check").Options));
        var smoke = Named(run, Command, "smoke-check");
        Assert.Equal(Writer, ((ImmutableDictionary<string, object>)smoke.Inputs["environment"])["QA_DB_HOST"]);
        var masking = Named(run, Command, "masking");
        Assert.Equal("qadb-pr-123.cluster-abc123.eu-west-1.rds.amazonaws.com", ((ImmutableDictionary<string, object>)masking.Inputs["environment"])["QA_DB_HOST"]);
    }

    [Fact]
    public async Task Without_hooks_the_names_are_written_once_the_instance_is_up_and_published_after_them()
    {
        var run = await ProgramRun.UpAsync(ProgramRun.Unmasked(("dnsZoneId", RecordingMocks.ZoneId)));

        Assert.Equal(["instance"], await ProgramRun.DependsOnAsync(run.OptionsOf(Record, "host").Options));
        foreach (var parameter in run.Options.Where(o => o.Type == Parameter))
        {
            Assert.Equal(["host-names"], await ProgramRun.DependsOnAsync(parameter.Options));
        }
    }

    [Fact]
    public async Task Host_and_reader_host_are_published_in_ssm_and_the_outputs_next_to_the_endpoints()
    {
        var run = await UpAsync();

        var parameters = run.Mocks.Resources.Where(r => r.Type == Parameter).ToDictionary(r => (string)r.Inputs["name"], r => r.Inputs["value"]);
        Assert.Equal(Writer, parameters["/qa/pr-123/db/host"]);
        Assert.Equal(Reader, parameters["/qa/pr-123/db/reader-host"]);
        Assert.Equal("qadb-pr-123.cluster-abc123.eu-west-1.rds.amazonaws.com", parameters["/qa/pr-123/db/endpoint"]);
        Assert.Equal(Writer, await QaDatabases.Testing.OutputValues.ValueAsync<string>(run.Outputs["host"]));
        Assert.Equal(Reader, await QaDatabases.Testing.OutputValues.ValueAsync<string>(run.Outputs["readerHost"]));
    }

    [Fact]
    public async Task A_refresh_points_the_same_names_at_the_next_generation()
    {
        var run = await UpAsync(("cloneGeneration", "2"));

        var host = Named(run, Record, "host");
        Assert.Equal(Writer, host.Inputs["name"]);
        Assert.Equal(["qadb-pr-123-g2.cluster-abc123.eu-west-1.rds.amazonaws.com"], Strings(host.Inputs["records"]));
    }

    [Fact]
    public async Task Without_a_zone_there_are_no_records_host_is_the_endpoint_and_nothing_is_looked_up()
    {
        var run = await ProgramRun.UpAsync(ProgramRun.Config());

        Assert.DoesNotContain(run.Mocks.Resources, r => r.Type == Record);
        Assert.DoesNotContain(run.Mocks.Calls, c => c.Token == "aws:route53/getZone:getZone");
        Assert.Equal("qadb-pr-123.cluster-abc123.eu-west-1.rds.amazonaws.com", await QaDatabases.Testing.OutputValues.ValueAsync<string>(run.Outputs["host"]));
    }

    [Fact]
    public async Task A_public_zone_fails_before_any_resource_is_declared()
    {
        var mocks = new RecordingMocks { ZonesArePrivate = false };
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Deployment.TestAsync(mocks, new TestOptions { ProjectName = "qa-db", StackName = "pr-1" },
            () => QaDatabaseProgram.RunAsync(ProgramRun.Config(("dnsZoneId", RecordingMocks.ZoneId)), new FakePreflight(FakePreflight.Healthy))));

        Assert.Contains($"qa-db:dnsZoneId = '{RecordingMocks.ZoneId}'", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("public hosted zone qa.example.internal", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
    }

    [Fact]
    public async Task A_claiming_stack_points_its_names_at_the_member_it_holds_and_smoke_checks_through_them()
    {
        var run = await ProgramRun.UpAsync(
            ProgramRun.Config(("pool", "qa-pool"), ("connectionRoute", "direct"), ("dnsZoneId", RecordingMocks.ZoneId)),
            stack: "pr-9", pools: new FakePools(FakePools.Ready("qa-pool", 1)));

        var host = Named(run, Record, "host");
        Assert.Equal("qadb-pr-9.qa.example.internal", host.Inputs["name"]);
        Assert.Equal(["qa-pool-m1-db.cluster-abc123.eu-west-1.rds.amazonaws.com"], Strings(host.Inputs["records"]));
        Assert.Equal(["qa-pool-m1-db.cluster-ro-abc123.eu-west-1.rds.amazonaws.com"], Strings(Named(run, Record, "reader-host").Inputs["records"]));
        Assert.Equal(["claim"], await ProgramRun.DependsOnAsync(run.OptionsOf(Record, "host").Options));
        Assert.Equal(["host-names"], await ProgramRun.DependsOnAsync(run.OptionsOf(Command, "smoke-check").Options));
        Assert.Equal("qadb-pr-9.qa.example.internal", ((ImmutableDictionary<string, object>)Named(run, Command, "smoke-check").Inputs["environment"])["QA_DB_HOST"]);
        var parameters = run.Mocks.Resources.Where(r => r.Type == Parameter).ToDictionary(r => (string)r.Inputs["name"], r => r.Inputs["value"]);
        Assert.Equal("qadb-pr-9.qa.example.internal", parameters["/qa/pr-9/db/host"]);
        Assert.Equal("qadb-pr-9.qa.example.internal", await QaDatabases.Testing.OutputValues.ValueAsync<string>(run.Outputs["host"]));
    }

    [Fact]
    public async Task Pool_members_get_no_names_and_the_zone_is_not_looked_up()
    {
        var run = await ProgramRun.UpAsync(
            ProgramRun.Config(("poolSize", "2"), ("dnsZoneId", RecordingMocks.ZoneId)), stack: "qa-pool", pools: new FakePools());

        Assert.Equal(2, run.Mocks.Resources.Count(r => r.Type == "aws:rds/cluster:Cluster"));
        Assert.DoesNotContain(run.Mocks.Resources, r => r.Type == Record);
        Assert.DoesNotContain(run.Mocks.Calls, c => c.Token == "aws:route53/getZone:getZone");
    }
}
