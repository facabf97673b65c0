using System.Collections.Immutable;
using Pulumi;
using Pulumi.Testing;
using QaDatabases.Pool;
using QaDatabases.Stacks;

namespace QaDatabases.Infra.Tests;

/// <summary>What a pool stack and a claiming stack declare, read from the inputs each resource is registered with.</summary>
public class PoolStackTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    public PoolStackTests() => ProgramRun.UseProjectDirectory();

    private static Dictionary<string, string> Config(params (string Key, string Value)[] extra)
    {
        var config = new Dictionary<string, string>
        {
            ["sourceCluster"] = "prod-orders",
            ["vpcId"] = "vpc-0a1b2c3d4e5f60718",
            ["allowedCidrs"] = "[\"10.40.0.0/16\"]",
            ["connectionRoute"] = "direct",
            ["maskingPolicy"] = "masking/policy.yaml",
        };
        foreach (var (key, value) in extra)
        {
            config[key] = value;
        }

        return config;
    }

    private static async Task<(RecordingMocks Mocks, IDictionary<string, object?> Outputs)> UpAsync(string stack, Dictionary<string, string> config, FakePools pools)
    {
        var mocks = new RecordingMocks();
        IDictionary<string, object?> outputs = new Dictionary<string, object?>();
        await Deployment.TestAsync(mocks, new TestOptions { ProjectName = "qa-db", StackName = stack }, async () =>
        {
            outputs = await QaDatabaseProgram.RunAsync(config, new FakePreflight(FakePreflight.Healthy), Now, pools);
            return outputs;
        });
        return (mocks, outputs);
    }

    /// <summary>Runs the program, which must fail before it declares any resource, and returns the error.</summary>
    private static async Task<string> FailsBeforeAnyResourceAsync(Dictionary<string, string> config, FakePools pools)
    {
        var mocks = new RecordingMocks();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Deployment.TestAsync(mocks, new TestOptions { ProjectName = "qa-db", StackName = "pr-9" },
            () => QaDatabaseProgram.RunAsync(config, new FakePreflight(FakePreflight.Healthy), Now, pools)));
        Assert.DoesNotContain(mocks.Resources, r => r.Type != "pulumi:pulumi:Stack");
        return error.ToString();
    }

    [Fact]
    public async Task A_pool_declares_its_members_tagged_with_the_pool_and_takes_no_lease_for_fresh_ones()
    {
        var (mocks, _) = await UpAsync("qa-pool", Config(("poolSize", "3")), new FakePools(FakePools.Ready("qa-pool", 1)));

        var clusters = mocks.Resources.Where(r => r.Type == "aws:rds/cluster:Cluster").ToList();
        Assert.Equal(["qadb-qa-pool-m1", "qadb-qa-pool-m2", "qadb-qa-pool-m3"], clusters.Select(c => (string)c.Inputs["clusterIdentifier"]).Order(StringComparer.Ordinal));
        Assert.All(clusters, c =>
        {
            var tags = (ImmutableDictionary<string, object>)c.Inputs["tags"];
            Assert.Equal("qa-pool", tags["qa-db:pool"]);
            Assert.Equal("organization/qa-db/qa-pool", tags["qa-db:stack"]);
            Assert.Equal(((string)c.Inputs["clusterIdentifier"])["qadb-qa-pool-m".Length..][..1], tags["qa-db:pool-member"]);
        });
        Assert.Equal(3, mocks.Resources.Count(r => r.Type == "aws:rds/clusterInstance:ClusterInstance"));
        var ready = mocks.Resources.Where(r => r.Type == "aws:ssm/parameter:Parameter").Select(r => (string)r.Inputs["name"]).Order(StringComparer.Ordinal);
        Assert.Equal(["/qa-db/pools/qa-pool/members/1/ready", "/qa-db/pools/qa-pool/members/2/ready", "/qa-db/pools/qa-pool/members/3/ready"], ready);
        Assert.DoesNotContain(mocks.Resources, r => r.Name.StartsWith("refill-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_members_ready_record_carries_what_its_masking_hook_reported()
    {
        var (mocks, outputs) = await UpAsync("qa-pool", Config(("poolSize", "2")), new FakePools());

        var records = mocks.Resources.Where(r => r.Type == "aws:ssm/parameter:Parameter")
            .Select(r => PoolJson.TryRead<MemberReady>((string)r.Inputs["value"])!).ToList();
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal((RecordingMocks.MaskingSummary, true), (r.Masking, r.Masked)));
        Assert.All(await QaDatabases.Testing.OutputValues.ValueAsync<Dictionary<string, object>[]>(outputs["members"]),
            m => Assert.Equal(RecordingMocks.MaskingSummary, m["masking"]));
    }

    [Fact]
    public async Task A_pool_that_allows_unmasked_data_records_its_members_as_unmasked()
    {
        var config = Config(("poolSize", "1"), ("allowUnmaskedData", "true"));
        config.Remove("maskingPolicy");

        var (mocks, _) = await UpAsync("qa-pool", config, new FakePools());

        var record = PoolJson.TryRead<MemberReady>((string)Assert.Single(mocks.Resources, r => r.Type == "aws:ssm/parameter:Parameter").Inputs["value"])!;
        Assert.False(record.Masked);
        Assert.StartsWith("UNMASKED: ", record.Masking, StringComparison.Ordinal);
        Assert.DoesNotContain(mocks.Resources, r => r.Name.EndsWith("masking", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_used_member_is_refilled_under_the_next_generation_after_taking_its_lease_and_a_leased_one_is_kept()
    {
        var pools = new FakePools(
            FakePools.Ready("qa-pool", 1), FakePools.Used("qa-pool", 1),
            FakePools.Ready("qa-pool", 2, createdAt: "2026-11-20T05:00:00Z"), FakePools.Lease("qa-pool", 2, "organization/qa-db/pr-7"));

        var (mocks, _) = await UpAsync("qa-pool", Config(("poolSize", "2")), pools);

        var clusters = mocks.Resources.Where(r => r.Type == "aws:rds/cluster:Cluster").Select(c => (string)c.Inputs["clusterIdentifier"]).Order(StringComparer.Ordinal);
        Assert.Equal(["qadb-qa-pool-m1-g2", "qadb-qa-pool-m2"], clusters);
        var lease = Assert.Single(mocks.Resources, r => r.Name == "refill-lease-m1");
        Assert.Contains("pool refill-lease --pool 'qa-pool' --member 1", (string)lease.Inputs["create"], StringComparison.Ordinal);
        Assert.Single(mocks.Resources, r => r.Name == "refill-done-m1");
        Assert.DoesNotContain(mocks.Resources, r => r.Name.EndsWith("-m2", StringComparison.Ordinal) && r.Name.StartsWith("refill-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_claiming_stack_declares_no_cluster_only_the_claim_the_smoke_check_and_its_own_parameters()
    {
        var (mocks, outputs) = await UpAsync("pr-9", Config(("pool", "qa-pool"), ("connectionRoute", "direct")), new FakePools(FakePools.Ready("qa-pool", 1)));

        Assert.DoesNotContain(mocks.Resources, r => r.Type.StartsWith("aws:rds/", StringComparison.Ordinal) || r.Type.StartsWith("aws:ec2/", StringComparison.Ordinal));
        var claim = Assert.Single(mocks.Resources, r => r.Name == "claim");
        Assert.Contains("pool claim --pool 'qa-pool' --stack 'organization/qa-db/pr-9' --ttl '72h'", (string)claim.Inputs["create"], StringComparison.Ordinal);
        Assert.Contains("pool release --pool 'qa-pool' --stack 'organization/qa-db/pr-9'", (string)claim.Inputs["delete"], StringComparison.Ordinal);
        var smoke = Assert.Single(mocks.Resources, r => r.Name == "smoke-check");
        Assert.Contains("PGCONNECT_TIMEOUT=60", (string)smoke.Inputs["create"], StringComparison.Ordinal);
        var parameters = mocks.Resources.Where(r => r.Type == "aws:ssm/parameter:Parameter").ToDictionary(r => (string)r.Inputs["name"], r => r.Inputs["value"]);
        Assert.Equal("qa-pool-m1-db.cluster-abc123.eu-west-1.rds.amazonaws.com", parameters["/qa/pr-9/db/endpoint"]);
        Assert.Equal("5432", parameters["/qa/pr-9/db/port"]);
        Assert.Equal("cluster-M1", parameters["/qa/pr-9/db/ready"]);
        Assert.Equal("qa-pool-m1-db.cluster-abc123.eu-west-1.rds.amazonaws.com", parameters["/qa/pr-9/db/host"]);
        Assert.Equal(8, parameters.Count);
        Assert.Equal(parameters.Keys.Order(StringComparer.Ordinal), ((string[])outputs["ssmParameterNames"]!).Order(StringComparer.Ordinal));
        Assert.Equal(RecordingMocks.ClaimExpiresAt, await QaDatabases.Testing.OutputValues.ValueAsync<string>(outputs["expiresAt"]));
        Assert.Equal(RecordingMocks.ClaimedMasking, await QaDatabases.Testing.OutputValues.ValueAsync<string>(outputs["masking"]));
        Assert.DoesNotContain("--allow-unmasked-data", (string)claim.Inputs["create"], StringComparison.Ordinal);
        Assert.Empty(mocks.Calls);
    }

    [Fact]
    public async Task A_claim_refuses_members_published_unmasked_unless_the_claiming_stack_allows_unmasked_data()
    {
        var unmasked = new FakePools(FakePools.Ready("qa-pool", 1, masked: false));

        var error = await FailsBeforeAnyResourceAsync(Config(("pool", "qa-pool")), unmasked);
        Assert.Contains("1 free but published unmasked, which this stack does not accept", error, StringComparison.Ordinal);

        var (allowed, _) = await UpAsync("pr-9", Config(("pool", "qa-pool"), ("allowUnmaskedData", "true")), unmasked);
        Assert.EndsWith(" --allow-unmasked-data", (string)Assert.Single(allowed.Resources, r => r.Name == "claim").Inputs["create"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_claim_on_an_empty_pool_fails_before_any_resource_unless_it_may_fall_back_to_a_clone()
    {
        var full = new FakePools(FakePools.Ready("qa-pool", 1), FakePools.Lease("qa-pool", 1, "organization/qa-db/pr-1"));

        Assert.Contains("no free member in pool qa-pool (1 members: 1 leased", await FailsBeforeAnyResourceAsync(Config(("pool", "qa-pool")), full), StringComparison.Ordinal);

        var (fallback, _) = await UpAsync("pr-9", Config(("pool", "qa-pool"), ("poolFallback", "clone")), full);
        Assert.Equal("qadb-pr-9", (string)Assert.Single(fallback.Resources, r => r.Type == "aws:rds/cluster:Cluster").Inputs["clusterIdentifier"]);
    }

    [Fact]
    public async Task A_stack_running_its_own_fallback_clone_keeps_it_when_the_pool_has_a_free_member_again()
    {
        var freeAgain = new FakePools(FakePools.Ready("qa-pool", 1), new ObservedParameter("/qa/pr-9/db/cluster-identifier", "qadb-pr-9"));

        var (mocks, _) = await UpAsync("pr-9", Config(("pool", "qa-pool"), ("poolFallback", "clone")), freeAgain);

        Assert.Equal("qadb-pr-9", (string)Assert.Single(mocks.Resources, r => r.Type == "aws:rds/cluster:Cluster").Inputs["clusterIdentifier"]);
        Assert.DoesNotContain(mocks.Resources, r => r.Name == "claim");
    }

    [Fact]
    public async Task An_unknown_pool_and_a_stack_that_is_both_pool_and_claimer_fail_before_any_resource()
    {
        foreach (var (config, expected) in new[]
        {
            (Config(("pool", "qa-pol")), "unknown pool"),
            (Config(("pool", "qa-pool"), ("poolSize", "2")), "either a pool"),
            (Config(("poolSize", "0"), ("poolMaxAge", "0h")), "poolMaxAge"),
        })
        {
            Assert.Contains(expected, await FailsBeforeAnyResourceAsync(config, new FakePools()), StringComparison.Ordinal);
        }
    }
}
