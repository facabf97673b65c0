using QaDatabases.Access;
using QaDatabases.Configuration;
using QaDatabases.Golden;
using QaDatabases.Pool;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests.Golden;

/// <summary>The three stacks a team that masks once runs, as shipped: the golden, the pool from it, and the review template.</summary>
public class GoldenStackFileTests
{
    private static StackSettings Read(string directory, string stack) =>
        StackSettingsReader.Read(new StackContext("acme", "qa-db", stack), StackFiles.Read(directory, stack).Config, Settings.Now, directory);

    [Fact]
    public void The_shipped_golden_and_pool_read_as_a_golden_of_production_and_a_pool_cloned_from_it()
    {
        var golden = Read(Repo.Root, "qa-golden");
        var pool = Read(Repo.Root, "qa-pool");

        Assert.IsType<GoldenRole.Golden>(golden.Golden);
        Assert.Equal("prod-orders", golden.SourceClusterIdentifier);
        Assert.Equal(new GoldenRole.Consumer("qa-golden"), pool.Golden);
        Assert.Equal(new PoolRole.PoolOf(3, TimeSpan.FromHours(24)), pool.Pool);
        Assert.Empty(pool.Hooks.MaskingScripts);
    }

    [Fact]
    public void The_templates_mask_once_block_makes_review_stacks_claim_from_the_pool_and_fall_back_to_a_clone_of_the_golden()
    {
        using var project = StackTemplates.Project();

        var review = Read(project.Path, "qa-mask-once");

        Assert.Equal(new PoolRole.ClaimFrom("qa-pool", PoolFallback.Clone), review.Pool);
        Assert.Equal(new GoldenRole.Consumer("qa-golden"), review.Golden);
        Assert.Equal("", review.SourceClusterIdentifier);
        Assert.Empty(review.Hooks.MaskingScripts);
        Assert.Equal(Read(Repo.Root, "qa").VpcId, review.VpcId);
    }

    [Theory]
    [InlineData("qa", "qa-db/deployer")]
    [InlineData("qa-mask-once", "qa-db/deployer")]
    [InlineData("qa-golden", "qa-db/stewards")]
    [InlineData("qa-pool", "qa-db/stewards")]
    public void Each_stack_file_imports_the_esc_environment_of_the_role_it_deploys_with(string stack, string environment)
    {
        using var project = StackTemplates.Project();

        Assert.Equal([environment], StackFiles.Read(project.Path, stack).Environments);
        Assert.Equal(environment, EscEnvironments.Name(EscEnvironments.DefaultProject, AccessRoles.Of(Read(project.Path, stack))));
    }

    [Fact]
    public void An_environment_key_that_is_not_a_list_of_imports_is_refused_naming_the_file()
    {
        using var project = new TempProject();
        File.Copy(Repo.PathOf("Pulumi.yaml"), Path.Combine(project.Path, "Pulumi.yaml"));
        project.Write("Pulumi.x.yaml", "environment:\n  imports: qa-db/deployer\nconfig: {}\n");

        var error = Assert.Throws<StackFileException>(() => StackFiles.Read(project.Path, "x"));

        Assert.Contains("Pulumi.x.yaml: environment: must be a list of ESC environments to import", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_of_the_golden_shows_its_record_switched_after_its_hooks()
    {
        var (exit, output, error) = await CliTests.RunAsync("plan", "--stack", "qa-golden", "--dir", Repo.Root, "--source-engine-version", "16.4");

        Assert.True(exit == 0, error);
        Assert.Contains("It is a golden: masked once, then recorded under /qa-db/goldens/qa-golden/ready", output, StringComparison.Ordinal);
        Assert.Contains("qa-db masking apply: policy masking/policy.yaml", output, StringComparison.Ordinal);
        Assert.Contains("command:local:Command                      golden-record", output, StringComparison.Ordinal);
        Assert.DoesNotContain("/qa/qa-golden/db/", output, StringComparison.Ordinal);
        Assert.Contains("qa-db:role=golden", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_of_a_review_stack_that_falls_back_to_the_golden_runs_only_the_gate()
    {
        using var project = StackTemplates.Project();
        var review = StackTemplates.MaskOnce(File.ReadAllText(Repo.PathOf("Pulumi.qa.yaml"))).Split('\n')
            .Where(line => !line.TrimStart().StartsWith("qa-db:pool", StringComparison.Ordinal));
        project.Write("Pulumi.pr-7.yaml", string.Join('\n', review));

        var (exit, output, error) = await CliTests.RunAsync("plan", "--stack", "pr-7", "--dir", project.Path, "--source-engine-version", "16.4");

        Assert.True(exit == 0, error);
        Assert.Contains("It clones the golden of stack qa-golden, read from /qa-db/goldens/qa-golden/ready at `pulumi up`", output, StringComparison.Ordinal);
        Assert.Contains("command:local:Command                      gate", output, StringComparison.Ordinal);
        Assert.Contains("qa-db masking check --verify-masked", output, StringComparison.Ordinal);
        Assert.DoesNotContain("masking apply", output, StringComparison.Ordinal);
        Assert.Contains("/qa/pr-7/db/golden-source", output, StringComparison.Ordinal);
    }
}
