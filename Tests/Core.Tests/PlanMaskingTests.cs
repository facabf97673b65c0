using QaDatabases.Masking;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

/// <summary>
/// <c>qa-db plan</c> shows the masking step (policy, fingerprint, what follows it) and refuses, offline,
/// what validation refuses: unmasked publishing without the opt-in, and a secret stored in plain text.
/// </summary>
public class PlanMaskingTests
{
    private const string Stack = """
        config:
          aws:region: eu-west-1
          qa-db:sourceCluster: prod-orders
          qa-db:vpcId: vpc-0a1b2c3d4e5f60718
          qa-db:allowedCidrs: [10.40.0.0/16]

        """;

    private static Task<(int Exit, string Out, string Err)> PlanAsync(TempProject project, string stack = "pr-9") =>
        CliTests.RunAsync("plan", "--stack", stack, "--dir", project.Path, "--source-engine-version", "16.4");

    [Fact]
    public async Task Plan_shows_the_policy_its_fingerprint_and_that_scripts_and_the_gate_again_follow()
    {
        using var project = CliTests.StackProject("pr-9", Stack + """
              qa-db:connectionRoute: direct
              qa-db:maskingPolicy: masking/policy.yaml
              qa-db:maskingScripts: [masking/fixups.sql]
            """);
        project.Write("masking/fixups.sql", "UPDATE customers SET country = country;\n");
        var fingerprint = MaskingPolicy.Fingerprint(File.ReadAllText(Path.Combine(project.Path, "masking", "policy.yaml")));

        var (exit, output, error) = await PlanAsync(project);

        Assert.True(exit == 0, error);
        Assert.Contains($"1. qa-db masking apply: policy masking/policy.yaml (fingerprint {fingerprint[..12]}) via direct", output, StringComparison.Ordinal);
        Assert.Contains("2. runs masking/fixups.sql with psql via direct, each in one transaction (for what no strategy expresses)", output, StringComparison.Ordinal);
        Assert.Contains("3. qa-db masking check --verify-masked: the gate again", output, StringComparison.Ordinal);
        Assert.Contains("re-runs when the policy or the SQL changes or the clone is replaced; a failure publishes nothing", output, StringComparison.Ordinal);
        Assert.Contains("smokeCheckResult, masking, cloneGroupSize", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_refuses_a_stack_that_would_publish_unmasked_data_naming_the_opt_in()
    {
        using var project = CliTests.StackProject("pr-9", Stack);

        var (exit, output, error) = await PlanAsync(project);

        Assert.Equal(ExitCodes.Rejected, exit);
        Assert.Empty(output);
        Assert.Contains("qa-db:allowUnmaskedData = 'false': the clone would be published with the source's data unmasked", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_with_unmasked_data_allowed_says_plainly_that_nothing_masks()
    {
        using var project = CliTests.StackProject("pr-9", Stack + "  qa-db:allowUnmaskedData: true\n");

        var (exit, output, error) = await PlanAsync(project);

        Assert.True(exit == 0, error);
        Assert.Contains("! no masking: allowUnmaskedData is true, so the clone is published with the source's data as it is", output, StringComparison.Ordinal);
        Assert.Contains("warning: allowUnmaskedData is true", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_refuses_a_salt_stored_in_plain_text_without_printing_it()
    {
        using var project = CliTests.StackProject("pr-9", Stack + """
              qa-db:connectionRoute: direct
              qa-db:maskingPolicy: masking/policy.yaml
              qa-db:maskingSalt: plain-text-salt-of-some-length
            """);

        var (exit, output, error) = await PlanAsync(project);

        Assert.Equal(ExitCodes.Rejected, exit);
        Assert.Empty(output);
        Assert.Contains("qa-db:maskingSalt = '(secret, not shown)': is stored in plain text in the stack file, but it is a secret", error, StringComparison.Ordinal);
        Assert.Contains("pulumi config set --secret qa-db:maskingSalt", error, StringComparison.Ordinal);
        Assert.DoesNotContain("plain-text-salt-of-some-length", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_accepts_an_encrypted_salt_it_cannot_read_and_shows_that_the_hook_gets_it_as_a_secret()
    {
        using var project = CliTests.StackProject("pr-9", Stack + """
              qa-db:connectionRoute: direct
              qa-db:maskingPolicy: masking/hashing.yaml
              qa-db:maskingSalt:
                secure: v1:c2FsdA==:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==
            """);
        project.Write("masking/hashing.yaml", "tables:\n  customers:\n    columns:\n      id: keep\n      tax_id: hash\n");

        var (exit, output, error) = await PlanAsync(project);

        Assert.True(exit == 0, error);
        Assert.Contains("the policy uses hash: maskingSalt reaches it as a secret environment variable (QA_DB_MASKING_SALT)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_of_a_claiming_stack_says_it_takes_only_masked_members()
    {
        using var project = CliTests.StackProject("pr-7", Stack + "  qa-db:pool: qa-pool\n");

        var (exit, output, error) = await PlanAsync(project, "pr-7");

        Assert.True(exit == 0, error);
        Assert.Contains("takes only members the pool masked", output, StringComparison.Ordinal);
    }
}
