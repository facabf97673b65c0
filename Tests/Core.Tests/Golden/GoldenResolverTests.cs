using QaDatabases.Configuration;
using QaDatabases.Golden;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests.Golden;

/// <summary>What the program settles from the golden records before anything is looked up or declared.</summary>
public class GoldenResolverTests
{
    /// <summary>Answers the program's parameter reads from a dictionary, and counts them.</summary>
    private sealed class FakeRecords(Dictionary<string, string> parameters) : IGoldenRecordSource
    {
        public List<string> Reads { get; } = [];

        public Task<string?> ReadParameterAsync(string name, CancellationToken cancellationToken)
        {
            Reads.Add(name);
            return Task.FromResult(parameters.GetValueOrDefault(name));
        }
    }

    private static string PolicyFingerprint => Settings.Read().Masking.PolicyFingerprint!;

    private static GoldenRecord Record(int generation, string? fingerprint = null) =>
        new($"qadb-qa-golden-g{generation}", generation, fingerprint ?? PolicyFingerprint, "2026-11-24T05:00:00Z", "prod-orders");


    private static Task<GoldenResolution> ResolveAsync(StackSettings settings, FakeRecords records) =>
        GoldenResolver.ResolveAsync(settings, records, Settings.Now, CancellationToken.None);

    [Fact]
    public async Task A_new_clone_of_a_golden_clones_and_looks_up_the_recorded_cluster()
    {
        var records = new FakeRecords(new() { [GoldenPaths.Ready("qa-golden")] = Record(2).ToJson() });

        var resolution = await ResolveAsync(Settings.Consumer(), records);

        Assert.Equal("qadb-qa-golden-g2", resolution.Settings.SourceClusterIdentifier);
        Assert.Equal("qadb-qa-golden-g2", resolution.LookupCluster);
        Assert.Equal(new GoldenSource("qa-golden", "qadb-qa-golden-g2", 2, PolicyFingerprint, "2026-11-24T05:00:00Z", 1), resolution.ClonedFrom);
        Assert.Equal([GoldenPaths.Ready("qa-golden"), "/qa/pr-7/db/golden-source"], records.Reads);
    }

    [Fact]
    public async Task An_existing_clone_keeps_its_golden_after_a_refresh_while_the_preflight_looks_at_the_current_one()
    {
        var clonedFrom = new GoldenSource("qa-golden", "qadb-qa-golden-g2", 2, PolicyFingerprint, "2026-11-20T05:00:00Z", 1);
        var records = new FakeRecords(new()
        {
            [GoldenPaths.Ready("qa-golden")] = Record(3).ToJson(),
            ["/qa/pr-7/db/golden-source"] = clonedFrom.ToJson(),
        });

        var resolution = await ResolveAsync(Settings.Consumer(), records);

        Assert.Equal("qadb-qa-golden-g2", resolution.Settings.SourceClusterIdentifier);
        Assert.Equal(clonedFrom, resolution.ClonedFrom);
        Assert.Equal("qadb-qa-golden-g3", resolution.LookupCluster);
    }

    [Fact]
    public async Task A_pool_of_a_golden_follows_its_current_generation_and_records_no_source_of_its_own()
    {
        var records = new FakeRecords(new() { [GoldenPaths.Ready("qa-golden")] = Record(3).ToJson() });

        var resolution = await ResolveAsync(Settings.Consumer("pr-7", ("poolSize", "3")), records);

        Assert.Equal("qadb-qa-golden-g3", resolution.Settings.SourceClusterIdentifier);
        Assert.Null(resolution.ClonedFrom);
        Assert.Equal([GoldenPaths.Ready("qa-golden")], records.Reads);
    }

    [Fact]
    public async Task A_golden_reads_its_own_record_to_decide_its_generation()
    {
        var records = new FakeRecords(new() { [GoldenPaths.Ready("qa-golden")] = Record(4).ToJson() });
        var golden = Settings.Read(new Dictionary<string, string>(Settings.MinimalRaw()) { ["golden"] = "true" }, "qa-golden");

        var resolution = await ResolveAsync(golden, records);

        Assert.Equal(4, resolution.Settings.CloneGeneration);
        Assert.Equal((4, false), (resolution.Refresh!.Generation, resolution.Refresh.Refreshes));
        Assert.Equal("prod-orders", resolution.LookupCluster);
        Assert.Equal(Record(4), resolution.Recorded);
    }

    [Fact]
    public async Task A_clone_of_a_golden_with_no_record_fails_with_the_exact_error_and_an_ordinary_stack_reads_nothing()
    {
        var records = new FakeRecords([]);

        var error = await Assert.ThrowsAsync<GoldenRejectedException>(() => ResolveAsync(Settings.Consumer(), records));
        Assert.Equal("golden stack qa-golden has no ready record: run pulumi up --stack qa-golden first", error.Message);

        var ordinary = new FakeRecords([]);
        Assert.Equal("prod-orders", (await ResolveAsync(Settings.Read(), ordinary)).LookupCluster);
        Assert.Empty(ordinary.Reads);
    }
}
