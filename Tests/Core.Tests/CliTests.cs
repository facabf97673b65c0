using QaDatabases.Cli;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

public class CliTests
{
    internal static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await QaDbCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>An executable `pulumi` stand-in with the given shell body, for `expired --execute`.</summary>
    private static async Task<string> FakePulumiAsync(DirectoryInfo dir, string body)
    {
        var path = Path.Combine(dir.FullName, "pulumi");
        await File.WriteAllTextAsync(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public async Task Plan_names_a_missing_stack_file_and_exits_2()
    {
        var (exit, _, error) = await RunAsync("plan", "--stack", "nope", "--dir", Repo.Root);

        Assert.Equal(2, exit);
        Assert.Contains("qa-db: no stack file", error, StringComparison.Ordinal);
        Assert.Contains("Pulumi.nope.yaml", error, StringComparison.Ordinal);
    }

    /// <summary>A throwaway project with this repository's Pulumi.yaml and masking policy, and one stack file.</summary>
    internal static TempProject StackProject(string stack, string config)
    {
        var project = new TempProject();
        project.Write("Pulumi.yaml", File.ReadAllText(Repo.PathOf("Pulumi.yaml")));
        project.Write("masking/policy.yaml", File.ReadAllText(Repo.PathOf("masking", "policy.yaml")));
        project.Write($"Pulumi.{stack}.yaml", config);
        return project;
    }

    [Fact]
    public async Task Plan_validates_the_shipped_qa_stack_and_lists_what_up_would_declare()
    {
        var (exit, output, error) = await RunAsync("plan", "--stack", "qa", "--dir", Repo.Root, "--source-engine-version", "16.4");

        Assert.True(exit == 0, error);
        Assert.Contains("Stack organization/qa-db/qa: configuration is valid.", output, StringComparison.Ordinal);
        Assert.Contains("restoreToPointInTime: sourceClusterIdentifier prod-orders, restoreType copy-on-write, useLatestRestorableTime: true", output, StringComparison.Ordinal);
        Assert.Contains("ingress tcp/5432 from 10.40.0.0/16", output, StringComparison.Ordinal);
        Assert.Contains("aws:rds/clusterInstance:ClusterInstance    qadb-qa-1", output, StringComparison.Ordinal);
        Assert.Contains("instanceClass: db.serverless, publiclyAccessible: false", output, StringComparison.Ordinal);
        Assert.Contains("command:local:Command                      masking", output, StringComparison.Ordinal);
        Assert.Contains("/qa/qa/db/endpoint", output, StringComparison.Ordinal);
        Assert.Contains("in eu-west-1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_reports_every_config_problem_and_exits_non_zero()
    {
        using var project = StackProject("pr-9", """
            config:
              qa-db:sourceCluster: prod-orders
              qa-db:vpcId: vpc-0a1b2c3d4e5f60718
              qa-db:allowedCidrs:
                - 0.0.0.0/0
              qa-db:restoreTim: 2026-11-20T08:00:00Z
            """);

        var (exit, output, error) = await RunAsync("plan", "--stack", "pr-9", "--dir", project.Path);

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("qa-db:allowedCidrs = '0.0.0.0/0': opens the database to the whole internet", error, StringComparison.Ordinal);
        Assert.Contains("qa-db:restoreTim = '2026-11-20T08:00:00Z': is not a key this program reads", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(":::: not yaml", "unexpected top-level key(s) ':::'")]
    [InlineData("- sourceCluster: prod-orders", "is not a YAML mapping")]
    [InlineData("config: [1", "is not valid YAML (line ")]
    [InlineData("config: prod-orders", "config: must be a mapping")]
    public async Task A_malformed_stack_file_is_an_error_naming_the_file_not_an_empty_config(string content, string expected)
    {
        using var project = StackProject("broken", content);

        var (exit, output, error) = await RunAsync("plan", "--stack", "broken", "--dir", project.Path);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("Pulumi.broken.yaml", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("(not set)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_of_a_pool_stack_lists_each_member_as_its_own_clone_and_ready_record()
    {
        using var project = StackProject("qa-pool", """
            config:
              aws:region: eu-west-1
              qa-db:sourceCluster: prod-orders
              qa-db:vpcId: vpc-0a1b2c3d4e5f60718
              qa-db:allowedCidrs: [10.40.0.0/16]
              qa-db:connectionRoute: direct
              qa-db:maskingPolicy: masking/policy.yaml
              qa-db:poolSize: 2
            """);

        var (exit, output, error) = await RunAsync("plan", "--stack", "qa-pool", "--dir", project.Path, "--source-engine-version", "16.4");

        Assert.True(exit == 0, error);
        Assert.Contains("it is a pool of 2 member(s), re-cloned when used or older than 24h", output, StringComparison.Ordinal);
        Assert.Contains("aws:rds/cluster:Cluster qadb-qa-pool-m1 (restored copy-on-write from prod-orders)", output, StringComparison.Ordinal);
        Assert.Contains("aws:rds/cluster:Cluster qadb-qa-pool-m2 ", output, StringComparison.Ordinal);
        Assert.Contains("qa-db:pool=qa-pool", output, StringComparison.Ordinal);
        Assert.Contains("/qa-db/pools/qa-pool/members/2/ready", output, StringComparison.Ordinal);
        Assert.Contains("Each member's masking hook, before its ready record is written:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("/qa/qa-pool/db/endpoint", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_of_a_claiming_stack_declares_the_claim_and_its_own_names_but_no_cluster()
    {
        using var project = StackProject("pr-7", """
            config:
              aws:region: eu-west-1
              qa-db:sourceCluster: prod-orders
              qa-db:vpcId: vpc-0a1b2c3d4e5f60718
              qa-db:pool: qa-pool
              qa-db:connectionRoute: direct
            """);

        var (exit, output, error) = await RunAsync("plan", "--stack", "pr-7", "--dir", project.Path);

        Assert.True(exit == 0, error);
        Assert.Contains("claims a ready member of pool qa-pool", output, StringComparison.Ordinal);
        Assert.Contains("command:local:Command                      claim", output, StringComparison.Ordinal);
        Assert.Contains("command:local:Command                      smoke-check", output, StringComparison.Ordinal);
        Assert.Contains("/qa/pr-7/db/endpoint", output, StringComparison.Ordinal);
        Assert.Contains("it fails and says how to grow pool qa-pool", output, StringComparison.Ordinal);
        Assert.DoesNotContain("aws:rds/cluster:Cluster", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Cost per day: idle $0.00, active $0.96")]
    [InlineData("qa-db:serverlessMinCapacity: '0.5'", "Cost per day: idle $1.44, active $1.92")]
    [InlineData("qa-db:instanceClass: db.r6g.large", "Cost per day: idle $6.24, active $6.24")]
    [InlineData("qa-db:instanceClass: db.x2g.16xlarge", "Cost per day: no price on record for db.x2g.16xlarge")]
    public async Task Plan_states_the_idle_and_active_cost_per_day_of_the_configured_class_or_capacities(string extra, string expected)
    {
        using var project = StackProject("pr-8", $"""
            config:
              aws:region: eu-west-1
              qa-db:sourceCluster: prod-orders
              qa-db:vpcId: vpc-0a1b2c3d4e5f60718
              qa-db:connectionRoute: direct
              qa-db:maskingPolicy: masking/policy.yaml
              {extra}
            """);

        var (exit, output, error) = await RunAsync("plan", "--stack", "pr-8", "--dir", project.Path, "--source-engine-version", "16.4");

        Assert.True(exit == 0, error);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.Contains("us-east-1 as of 2026-11-24", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_with_a_zone_writes_the_names_after_masking_and_smoke_checks_through_them()
    {
        using var project = StackProject("pr-9", """
            config:
              aws:region: eu-west-1
              qa-db:sourceCluster: prod-orders
              qa-db:vpcId: vpc-0a1b2c3d4e5f60718
              qa-db:connectionRoute: direct
              qa-db:maskingScripts: [masking/mask.sql]
              qa-db:dnsZoneId: Z0123456789ABCDEFGHIJ
            """);
        project.Write("masking/mask.sql", "UPDATE customers SET email = 'x';");

        var (exit, output, error) = await RunAsync("plan", "--stack", "pr-9", "--dir", project.Path, "--source-engine-version", "16.4");

        Assert.True(exit == 0, error);
        Assert.Contains("qadb-pr-9.<name of zone Z0123456789ABCDEFGHIJ> CNAME -> the clone's writer endpoint, ttl 5 s, written once masking has passed", output, StringComparison.Ordinal);
        Assert.Contains("qadb-pr-9-ro.<name of zone Z0123456789ABCDEFGHIJ> CNAME -> its reader endpoint", output, StringComparison.Ordinal);
        Assert.Contains("connecting to the writer's stable name", output, StringComparison.Ordinal);
        var order = new[] { "masking", "aws:route53/record:Record                  host", "smoke-check", "/qa/pr-9/db/host" }.Select(t => output.IndexOf(t, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public async Task Plan_of_a_claiming_stack_with_a_zone_points_its_names_at_the_claimed_member()
    {
        using var project = StackProject("pr-10", """
            config:
              aws:region: eu-west-1
              qa-db:sourceCluster: prod-orders
              qa-db:vpcId: vpc-0a1b2c3d4e5f60718
              qa-db:pool: qa-pool
              qa-db:dnsZoneId: Z0123456789ABCDEFGHIJ
            """);

        var (exit, output, error) = await RunAsync("plan", "--stack", "pr-10", "--dir", project.Path);

        Assert.True(exit == 0, error);
        Assert.Contains("qadb-pr-10.<name of zone Z0123456789ABCDEFGHIJ> CNAME -> the claimed member's writer endpoint", output, StringComparison.Ordinal);
        Assert.Contains("Cost: no cluster of its own", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_refuses_scale_to_zero_on_an_old_source_version()
    {
        var (exit, _, error) = await RunAsync("plan", "--stack", "qa", "--dir", Repo.Root, "--source-engine-version", "15.4");

        Assert.Equal(1, exit);
        Assert.Contains("qa-db:serverlessMinCapacity = '0': scaling to zero (auto-pause) needs Aurora PostgreSQL 13.15, 14.12, 15.7, 16.3", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_commands_and_options_are_usage_errors()
    {
        Assert.Equal(2, (await RunAsync("destroy-everything")).Exit);
        var (exit, _, error) = await RunAsync("plan", "--stak", "qa", "--dir", Repo.Root);
        Assert.Equal(2, exit);
        Assert.Contains("--stak", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_command_and_exits_zero()
    {
        var (exit, output, _) = await RunAsync("--help");

        Assert.Equal(0, exit);
        Assert.Contains("plan", output, StringComparison.Ordinal);
        Assert.Contains("expired", output, StringComparison.Ordinal);
        Assert.Contains("isolation-check", output, StringComparison.Ordinal);
        Assert.Contains("masking", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--now 'tomorrow': expected an RFC 3339 timestamp in UTC", "expired", "--clusters", "x.json", "--now", "tomorrow")]
    [InlineData("'five'", "plan", "--source-port", "five")]
    [InlineData("'oracle-ee'", "plan", "--source-engine", "oracle-ee")]
    [InlineData("--clusters", "expired")]
    public async Task Options_of_the_wrong_type_or_missing_are_usage_errors_that_say_what_is_wrong(string expected, params string[] args)
    {
        var (exit, output, error) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_reads_the_now_option_as_a_utc_timestamp()
    {
        var (exit, output, _) = await RunAsync("expired", "--clusters", Repo.PathOf("Tests", "Core.Tests", "Fixtures", "describe-db-clusters.json"), "--now", "2026-11-21T11:00:00Z");

        Assert.Equal(0, exit);
        Assert.Contains("at 2026-11-21T11:00:00Z", output, StringComparison.Ordinal);
        Assert.DoesNotContain("EXPIRED at 2026-11-21T12:00:00Z", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_prints_the_commands_for_expired_environments_only()
    {
        var (exit, output, _) = await RunAsync("expired", "--clusters", Repo.PathOf("Tests", "Core.Tests", "Fixtures", "describe-db-clusters.json"), "--now", "2026-11-24T12:00:00Z");

        Assert.Equal(0, exit);
        Assert.Contains("5 QA environment(s)", output, StringComparison.Ordinal);
        Assert.Contains("EXPIRED at 2026-11-21T12:00:00Z", output, StringComparison.Ordinal);
        Assert.Contains("malformed expiry tag 'next tuesday'", output, StringComparison.Ordinal);
        Assert.Contains("  pulumi destroy --stack acme/qa-db/pr-101 --yes --skip-preview --non-interactive", output, StringComparison.Ordinal);
        Assert.Contains("  pulumi stack rm acme/qa-db/pr-101 --yes --non-interactive", output, StringComparison.Ordinal);
        Assert.DoesNotContain("acme/qa-db/pr-102 --yes", output, StringComparison.Ordinal);
        Assert.DoesNotContain("--stack acme/qa-db/pr-103", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_with_leases_removes_claiming_stacks_whose_claim_expired()
    {
        using var temp = new TempProject();
        string Lease(int member, string value) => $$"""{"Name": "/qa-db/pools/qa-pool/members/{{member}}/lease", "Value": {{System.Text.Json.JsonSerializer.Serialize(value)}}}""";
        temp.Write("params.json", $$"""
            {"Parameters": [
              {{Lease(1, """{"holder":"acme/qa-db/pr-41","since":"2026-11-20T08:00:00Z","expiresAt":"2026-11-23T08:00:00Z"}""")}},
              {{Lease(2, """{"holder":"acme/qa-db/pr-42","since":"2026-11-24T08:00:00Z","expiresAt":"2026-11-27T08:00:00Z"}""")}},
              {{Lease(3, """{"holder":"refill:qa-pool","since":"2026-11-24T08:00:00Z"}""")}},
              {{Lease(4, """{"holder":"acme/qa-db/pr-7","since":"2026-11-01T08:00:00Z"}""")}}
            ]}
            """);

        var (exit, output, error) = await RunAsync("expired", "--clusters", Repo.PathOf("Tests", "Core.Tests", "Fixtures", "describe-db-clusters.json"),
            "--leases", Path.Combine(temp.Path, "params.json"), "--now", "2026-11-24T12:00:00Z");

        Assert.True(exit == 0, error);
        Assert.Contains("3 claim(s) on pool members:", output, StringComparison.Ordinal);
        Assert.Contains("  pulumi destroy --stack acme/qa-db/pr-41 --yes --skip-preview --non-interactive", output, StringComparison.Ordinal);
        Assert.Contains("active until 2026-11-27T08:00:00Z", output, StringComparison.Ordinal);
        Assert.Contains("no expiry in its lease: left alone", output, StringComparison.Ordinal);
        Assert.DoesNotContain("--stack acme/qa-db/pr-42", output, StringComparison.Ordinal);
        Assert.DoesNotContain("--stack acme/qa-db/pr-7", output, StringComparison.Ordinal);
        Assert.DoesNotContain("refill:qa-pool", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_with_execute_runs_destroy_then_stack_rm()
    {
        var dir = Directory.CreateTempSubdirectory("qa-db-expired-");
        var log = Path.Combine(dir.FullName, "calls.log");
        var fakePulumi = await FakePulumiAsync(dir, $"echo \"$*\" >> '{log}'\necho \"fake pulumi $1\"");

        var (exit, output, _) = await RunAsync("expired", "--clusters", Repo.PathOf("Tests", "Core.Tests", "Fixtures", "describe-db-clusters.json"),
            "--now", "2026-11-24T12:00:00Z", "--execute", "--pulumi", fakePulumi);

        Assert.Equal(0, exit);
        Assert.Equal(
            ["destroy --stack acme/qa-db/pr-101 --yes --skip-preview --non-interactive", "stack rm acme/qa-db/pr-101 --yes --non-interactive"],
            await File.ReadAllLinesAsync(log));
        Assert.Contains("fake pulumi destroy", output, StringComparison.Ordinal);
        dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Expired_stops_at_the_first_failing_command()
    {
        var dir = Directory.CreateTempSubdirectory("qa-db-expired-");
        var fakePulumi = await FakePulumiAsync(dir, "echo 'error: stack is locked' >&2\nexit 255");

        var (exit, output, _) = await RunAsync("expired", "--clusters", Repo.PathOf("Tests", "Core.Tests", "Fixtures", "describe-db-clusters.json"),
            "--now", "2026-11-24T12:00:00Z", "--execute", "--pulumi", fakePulumi);

        Assert.Equal(1, exit);
        Assert.Contains("error: stack is locked", output, StringComparison.Ordinal);
        Assert.Contains("`pulumi destroy` exited with 255; stopping.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("  pulumi stack rm", output, StringComparison.Ordinal);
        dir.Delete(recursive: true);
    }
}
