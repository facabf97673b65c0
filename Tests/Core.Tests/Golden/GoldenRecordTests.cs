using QaDatabases.Golden;

namespace QaDatabases.Tests.Golden;

/// <summary>The golden's record is read strictly: a consumer never clones what a half-written or hand-edited record names.</summary>
public class GoldenRecordTests
{
    private const string Name = "/qa-db/goldens/qa-golden/ready";
    private static readonly GoldenRecord Record = new("qadb-qa-golden-g2", 2, new string('c', 64), "2026-11-25T05:00:00Z", "prod-orders");

    [Fact]
    public void A_record_reads_back_as_written()
    {
        Assert.Equal(Record, GoldenRecord.Parse(Record.ToJson(), Name));
        Assert.Equal(
            $"{{\"cluster\":\"qadb-qa-golden-g2\",\"generation\":2,\"policyFingerprint\":\"{new string('c', 64)}\",\"dataTime\":\"2026-11-25T05:00:00Z\",\"sourceCluster\":\"prod-orders\"}}",
            Record.ToJson());
    }

    [Theory]
    [InlineData("{\"cluster\":\"qadb-qa-golden-g2\",\"generation\":2", "")]
    [InlineData("{\"cluster\":\"qadb-qa-golden-g2\",\"generation\":2,\"dataTime\":\"2026-11-25T05:00:00Z\",\"sourceCluster\":\"prod-orders\"}", "policyFingerprint")]
    [InlineData("{\"cluster\":null,\"generation\":2,\"policyFingerprint\":\"FP\",\"dataTime\":\"2026-11-25T05:00:00Z\",\"sourceCluster\":\"prod-orders\"}", "")]
    [InlineData("{\"cluster\":\"qadb-qa-golden-g2\",\"generation\":\"2\",\"policyFingerprint\":\"FP\",\"dataTime\":\"2026-11-25T05:00:00Z\",\"sourceCluster\":\"prod-orders\"}", "")]
    [InlineData("{\"cluster\":\"qadb-qa-golden-g2\",\"generation\":2,\"policyFingerprint\":\"FP\",\"dataTime\":\"2026-11-25T05:00:00Z\",\"sourceCluster\":\"prod-orders\",\"extra\":1}", "extra")]
    [InlineData("{\"cluster\":\"qadb-qa-golden-g2\",\"generation\":0,\"policyFingerprint\":\"FP\",\"dataTime\":\"2026-11-25T05:00:00Z\",\"sourceCluster\":\"prod-orders\"}", "generation 0")]
    [InlineData("{\"cluster\":\"qadb qa\",\"generation\":2,\"policyFingerprint\":\"FP\",\"dataTime\":\"2026-11-25T05:00:00Z\",\"sourceCluster\":\"prod-orders\"}", "cluster 'qadb qa'")]
    [InlineData("{\"cluster\":\"qadb-qa-golden-g2\",\"generation\":2,\"policyFingerprint\":\"abc\",\"dataTime\":\"2026-11-25T05:00:00Z\",\"sourceCluster\":\"prod-orders\"}", "policyFingerprint 'abc'")]
    [InlineData("{\"cluster\":\"qadb-qa-golden-g2\",\"generation\":2,\"policyFingerprint\":\"FP\",\"dataTime\":\"yesterday\",\"sourceCluster\":\"prod-orders\"}", "dataTime 'yesterday'")]
    public void An_incomplete_or_invalid_record_is_refused_naming_the_parameter(string json, string detail)
    {
        var error = Assert.Throws<GoldenRejectedException>(() => GoldenRecord.Parse(json.Replace("FP", new string('c', 64), StringComparison.Ordinal), Name));

        Assert.StartsWith($"SSM parameter {Name} is not a record qa-db wrote (", error.Message, StringComparison.Ordinal);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
        Assert.EndsWith("run that again to rewrite it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_consumers_recorded_source_reads_back_as_written_and_refuses_a_broken_one()
    {
        var source = new GoldenSource("qa-golden", "qadb-qa-golden-g2", 2, new string('c', 64), "2026-11-25T05:00:00Z", 1);

        Assert.Equal(source, GoldenSource.Parse(source.ToJson(), "/qa/pr-1/db/golden-source"));
        Assert.Throws<GoldenRejectedException>(() => GoldenSource.Parse("{\"goldenStack\":\"qa-golden\"}", "/qa/pr-1/db/golden-source"));
    }

    [Fact]
    public void The_golden_commands_run_the_shipped_cli_with_every_field_of_the_record_quoted()
    {
        var publish = GoldenCommands.Publish("qa-golden", Record, "eu-west-1");

        Assert.EndsWith(
            $"golden publish --stack 'qa-golden' --cluster 'qadb-qa-golden-g2' --generation 2 --policy-fingerprint '{new string('c', 64)}' --data-time '2026-11-25T05:00:00Z' --source-cluster 'prod-orders' --region 'eu-west-1'",
            publish, StringComparison.Ordinal);
        Assert.StartsWith($"{{ [ -f {QaDatabases.Hooks.ShippedCli.AssemblyPath} ]", publish, StringComparison.Ordinal);
        Assert.EndsWith("golden withdraw --stack 'qa-golden' --cluster 'qadb-qa-golden-g2'", GoldenCommands.Withdraw("qa-golden", "qadb-qa-golden-g2", null), StringComparison.Ordinal);
    }
}
