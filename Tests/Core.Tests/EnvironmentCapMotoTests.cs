using System.Text.Json;
using QaDatabases.Cli;
using QaDatabases.Expiry;
using QaDatabases.Preflight;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

/// <summary>
/// The cap against what AWS says: tagged clusters made in moto's RDS, read back as
/// <c>aws rds describe-db-clusters --output json</c> prints them, through the Core code the preflight
/// runs and through <c>qa-db plan --clusters</c>. Each test clones from its own source name, so tests
/// sharing the moto server do not count each other's clusters.
/// </summary>
[Collection(MotoTests.Name)]
public class EnvironmentCapMotoTests(MotoServer moto)
{
    private static string NewSource() => "src-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Makes the clusters in moto and returns DescribeDBClusters' answer as the AWS CLI prints it.</summary>
    private async Task<string> DescribeAfterCreatingAsync(params (string Id, Dictionary<string, string> Tags)[] clusters)
    {
        var spec = JsonSerializer.Serialize(clusters.Select(c => new { id = c.Id, tags = c.Tags }));
        var result = await Processes.RunAsync("python3", [Repo.PathOf("Tests", "moto", "rds_clusters.py"), spec], moto.ClientEnvironment());
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result.Stdout;
    }

    private static Dictionary<string, string> Tags(string source, string stack, string? pullRequest = null, string? pool = null, int? member = null)
    {
        var tags = new Dictionary<string, string>
        {
            ["qa-db:created-by"] = "qa-databases",
            ["qa-db:source-cluster"] = source,
            ["qa-db:stack"] = $"acme/qa-db/{stack}",
            ["qa-db:owner"] = "alice",
            ["qa-db:expires-at"] = "2026-12-01T00:00:00Z",
        };
        if (pullRequest is not null)
        {
            tags["qa-db:pull-request"] = pullRequest;
        }

        if (pool is not null)
        {
            tags["qa-db:pool"] = pool;
            tags["qa-db:pool-member"] = member!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return tags;
    }

    private static Configuration.StackSettings Stack(string source, string stack, int max, string? poolSize = null)
    {
        var raw = Settings.MinimalRaw();
        raw["sourceCluster"] = source;
        raw["maxEnvironments"] = max.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (poolSize is not null)
        {
            raw["poolSize"] = poolSize;
        }

        return Configuration.StackSettingsReader.Read(new("acme", "qa-db", stack), raw, DateTimeOffset.UtcNow, Repo.Root);
    }

    [Fact]
    public async Task A_new_environment_beyond_the_cap_is_refused_and_an_existing_ones_up_is_not()
    {
        var source = NewSource();
        var json = await DescribeAfterCreatingAsync(
            ($"qadb-{source}-pr-1", Tags(source, "pr-1", "1")),
            ($"qadb-{source}-pool-m1", Tags(source, "qa-pool", pool: "qa-pool", member: 1)),
            ($"qadb-{source}-pr-2", Tags(source, "pr-2", "2")),
            ($"qadb-{source}-other", Tags("prod-billing", "pr-3")),
            ($"{source}-not-ours", new Dictionary<string, string> { ["qa-db:source-cluster"] = source }));

        var clusters = ExpiryReport.ParseDescribeDbClusters(json);
        var fresh = EnvironmentCap.Evaluate(Stack(source, "pr-4", max: 3), clusters);
        var existing = EnvironmentCap.Evaluate(Stack(source, "pr-2", max: 3), clusters);
        var roomier = EnvironmentCap.Evaluate(Stack(source, "pr-4", max: 4), clusters);

        Assert.Equal((3, 1, true), (fresh.Existing, fresh.Adding, fresh.Refused));
        Assert.Equal([$"qadb-{source}-pr-1", $"qadb-{source}-pool-m1", $"qadb-{source}-pr-2"], fresh.Environments.Select(c => c.ClusterIdentifier));
        Assert.Equal((0, false), (existing.Adding, existing.Refused));
        Assert.False(roomier.Refused);
    }

    [Fact]
    public async Task Growing_a_pool_counts_only_its_new_members()
    {
        var source = NewSource();
        var json = await DescribeAfterCreatingAsync(
            ($"qadb-{source}-pool-m1", Tags(source, "qa-pool", pool: "qa-pool", member: 1)),
            ($"qadb-{source}-pool-m2", Tags(source, "qa-pool", pool: "qa-pool", member: 2)),
            ($"qadb-{source}-pr-1", Tags(source, "pr-1", "1")));

        var clusters = ExpiryReport.ParseDescribeDbClusters(json);

        Assert.Equal(0, EnvironmentCap.Evaluate(Stack(source, "qa-pool", max: 3, poolSize: "2"), clusters).Adding);
        Assert.True(EnvironmentCap.Evaluate(Stack(source, "qa-pool", max: 4, poolSize: "3"), clusters) is { Adding: 1, Refused: false });
        Assert.True(EnvironmentCap.Evaluate(Stack(source, "qa-pool", max: 4, poolSize: "4"), clusters) is { Adding: 2, Refused: true });
    }

    [Fact]
    public async Task Plan_with_the_describe_output_refuses_the_stack_listing_the_oldest_and_exits_1()
    {
        var source = NewSource();
        var json = await DescribeAfterCreatingAsync(
            ($"qadb-{source}-pr-1", Tags(source, "pr-1", "1")),
            ($"qadb-{source}-pr-2", Tags(source, "pr-2", "2")));
        using var project = CliTests.StackProject("pr-3", $"""
            config:
              aws:region: eu-west-1
              qa-db:sourceCluster: {source}
              qa-db:vpcId: vpc-0a1b2c3d4e5f60718
              qa-db:connectionRoute: direct
              qa-db:maskingPolicy: masking/policy.yaml
              qa-db:maxEnvironments: 2
            """);
        project.Write("clusters.json", json);
        var threeDaysOn = DateTimeOffset.UtcNow.AddDays(3).AddMinutes(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await QaDbCli.RunAsync(
            ["plan", "--stack", "pr-3", "--dir", project.Path, "--clusters", Path.Combine(project.Path, "clusters.json"), "--now", threeDaysOn], stdout, stderr);

        Assert.Equal(1, exit);
        var output = stdout.ToString();
        Assert.Contains($"REFUSED [environment-cap] 2 environment(s) cloned from '{source}' exist (pool members included) and the cap is 2 (qa-db:maxEnvironments)", output, StringComparison.Ordinal);
        Assert.Contains($"qadb-{source}-pr-1 (acme/qa-db/pr-1): owner alice, pull request 1, 3d 0h old, expires 2026-12-01T00:00:00Z", output, StringComparison.Ordinal);
        Assert.Contains("pulumi config set maxEnvironments 3", output, StringComparison.Ordinal);
        Assert.DoesNotContain("would declare", output, StringComparison.Ordinal);
    }
}
