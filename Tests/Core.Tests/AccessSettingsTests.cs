using QaDatabases.Access;
using QaDatabases.Configuration;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

/// <summary>The access program's config rules: every problem named before any resource exists.</summary>
public class AccessSettingsTests
{
    private static AccessSettings Read(params (string Key, string Value)[] values) =>
        AccessConfig.Read(values.ToDictionary(v => v.Key, v => v.Value));

    private static List<string> Problems(params (string Key, string Value)[] values) =>
        Assert.Throws<ConfigValidationException>(() => Read(values)).Problems.Select(p => p.ToString()).ToList();

    [Fact]
    public void Only_the_organization_is_required_and_the_rest_has_safe_defaults()
    {
        var settings = Read(("organization", "acme"));

        Assert.Equal(("acme", "qa-db", "qa-db-deployer"), (settings.Organization, settings.Project, settings.RoleName));
        Assert.Equal(["qa"], settings.QaStacks);
        Assert.Null(settings.Account);
        Assert.Null(settings.ExistingPulumiProviderArn);
        Assert.Null(settings.GitHubRepository);
    }

    [Fact]
    public void Every_bad_key_is_named_with_its_value_and_what_is_allowed()
    {
        var problems = Problems(
            ("project", "qa db"), ("qaStacks", "qa"), ("account", "1234"), ("existingOidcProviderArn", "arn:aws:iam::123456789012:oidc-provider/example.com"),
            ("githubRepository", "acme"), ("roleName", "role with spaces"), ("orgnization", "acme"));

        Assert.Equal(
        [
            "qa-db-access:orgnization = 'acme': is not a key this program reads; known keys: organization, project, qaStacks, account, existingOidcProviderArn, githubRepository, existingGithubOidcProviderArn, roleName, stewardsRoleName, escProject",
            "qa-db-access:organization = (not set): is required: the Pulumi organization whose deployments may assume the role (letters, digits, '-', '_', '.')",
            "qa-db-access:project = 'qa db': expected a Pulumi project name: letters, digits, '-', '_', '.'",
            "qa-db-access:qaStacks = 'qa': expected a non-empty list of stack names whose Pulumi.<stack>.yaml is in the repository root, e.g. [qa]",
            "qa-db-access:account = '1234': expected a 12-digit AWS account id, or empty for the account of the credentials",
            "qa-db-access:existingOidcProviderArn = 'arn:aws:iam::123456789012:oidc-provider/example.com': expected the ARN of an IAM OIDC provider for https://api.pulumi.com/oidc: arn:aws:iam::<account>:oidc-provider/api.pulumi.com/oidc",
            "qa-db-access:githubRepository = 'acme': expected owner/repo, or empty for no GitHub Actions trust",
            "qa-db-access:roleName = 'role with spaces': expected an IAM role name: 1-64 letters, digits and + = , . @ _ -",
        ], problems);
    }

    [Fact]
    public void The_stewards_role_has_its_own_name_and_the_roles_their_own_esc_project()
    {
        var settings = Read(("organization", "acme"));

        Assert.Equal(("qa-db-stewards", "qa-db"), (settings.StewardsRoleName, settings.EscProject));
        Assert.Equal("qa-db-stewards", settings.RoleNameOf(AccessRole.Stewards));
        Assert.Contains(Problems(("organization", "acme"), ("stewardsRoleName", "qa-db-deployer")), p => p.Contains("is the deployer's roleName", StringComparison.Ordinal));
        Assert.Contains(Problems(("organization", "acme"), ("escProject", "qa db")), p => p.StartsWith("qa-db-access:escProject = 'qa db'", StringComparison.Ordinal));
    }

    [Fact]
    public void The_credentials_account_must_match_the_configured_one_and_the_existing_providers()
    {
        var settings = Read(("organization", "acme"), ("account", "123456789012"),
            ("existingOidcProviderArn", "arn:aws:iam::210987654321:oidc-provider/api.pulumi.com/oidc"));

        Assert.Equal("123456789012", AccessConfig.CheckCallerAccount(settings with { ExistingPulumiProviderArn = null }, "123456789012"));
        var problems = Assert.Throws<ConfigValidationException>(() => AccessConfig.CheckCallerAccount(settings, "123456789012")).Problems;
        Assert.Equal("existingOidcProviderArn", Assert.Single(problems).Key);
        var mismatch = Assert.Throws<ConfigValidationException>(() => AccessConfig.CheckCallerAccount(settings with { ExistingPulumiProviderArn = null }, "555555555555")).Problems;
        Assert.Contains("the credentials are for account 555555555555", Assert.Single(mismatch).Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void Qa_stacks_are_read_from_the_repository_with_their_region_and_every_problem_of_each()
    {
        var stacks = AccessScope.ReadStacks(Repo.Root, ["qa"], "acme", Settings.Now);

        Assert.Equal(("eu-west-1", "prod-orders"), (Assert.Single(stacks).Region, stacks[0].Settings.SourceClusterIdentifier));
        Assert.Throws<StackFileException>(() => AccessScope.ReadStacks(Repo.Root, ["missing"], "acme", Settings.Now));
    }

    [Fact]
    public void The_access_projects_file_declares_exactly_the_keys_the_program_reads()
    {
        var yaml = new YamlDotNet.RepresentationModel.YamlStream();
        using var reader = new StreamReader(Repo.PathOf("access", "Pulumi.yaml"));
        yaml.Load(reader);
        var root = (YamlDotNet.RepresentationModel.YamlMappingNode)yaml.Documents[0].RootNode;
        var config = (YamlDotNet.RepresentationModel.YamlMappingNode)root.Children[new YamlDotNet.RepresentationModel.YamlScalarNode("config")];

        Assert.Equal(AccessConfig.Namespace, root.Children[new YamlDotNet.RepresentationModel.YamlScalarNode("name")].ToString());
        Assert.Equal(AccessConfig.Keys, config.Children.Keys.Select(k => k.ToString()));
    }
}
