using Pulumi;
using Pulumi.Aws.Iam;
using QaDatabases.Access;

namespace QaDatabases.AccessProgram;

/// <summary>What the deployer access is made of; every document is decided in Core.</summary>
internal sealed record DeployerAccessArgs(AccessSettings Settings, AccessScope Scope, PolicyDocument Permissions);

/// <summary>
/// The deployer's access in one account and region: the IAM OIDC provider for Pulumi Cloud (or the
/// existing one), optionally GitHub Actions', the role that trusts only the project's deployments
/// (and the repository's pull-request workflows), and its permissions as an inline policy.
/// </summary>
internal sealed class DeployerAccess : ComponentResource
{
    /// <summary>The client id (audience) GitHub's OIDC tokens carry for AWS.</summary>
    private const string GitHubAudience = DeployerPolicy.GitHubAudience;

    public DeployerAccess(string name, DeployerAccessArgs args, ComponentResourceOptions? options = null)
        : base("qa-db-access:index:DeployerAccess", name, options)
    {
        var settings = args.Settings;

        // An account has one provider per URL: reuse an existing one rather than fail to create a second.
        PulumiProviderArn = settings.ExistingPulumiProviderArn is { } existing
            ? Output.Create(existing)
            : new OpenIdConnectProvider("pulumi-oidc", new OpenIdConnectProviderArgs
            {
                Url = $"https://{DeployerPolicy.PulumiIssuer}",
                ClientIdLists = { settings.Organization },
            }, new CustomResourceOptions { Parent = this }).Arn;

        Output<string>? gitHubProviderArn = null;
        if (settings.GitHubRepository is not null)
        {
            gitHubProviderArn = settings.ExistingGitHubProviderArn is { } existingGitHub
                ? Output.Create(existingGitHub)
                : new OpenIdConnectProvider("github-oidc", new OpenIdConnectProviderArgs
                {
                    Url = $"https://{DeployerPolicy.GitHubIssuer}",
                    ClientIdLists = { GitHubAudience },
                }, new CustomResourceOptions { Parent = this }).Arn;
        }

        GitHubProviderArn = gitHubProviderArn is null ? Output.Create((string?)null) : gitHubProviderArn.Apply(arn => (string?)arn);

        var trust = Output.Tuple(PulumiProviderArn, gitHubProviderArn ?? Output.Create(""))
            .Apply(arns => DeployerPolicy.Trust(new TrustScope(
                settings.Organization,
                settings.Project,
                arns.Item1,
                settings.GitHubRepository,
                settings.GitHubRepository is null ? null : arns.Item2)).ToJson());

        var role = new Role("role", new RoleArgs
        {
            Name = settings.RoleName,
            Description = $"qa-db deployer: creates and removes QA clones of {string.Join(", ", args.Scope.SourceClusters)} in {args.Scope.Region}; never changes a source.",
            AssumeRolePolicy = trust,

            // Deployments asks for a one-hour session (deploy/qa.deployment-settings.json).
            MaxSessionDuration = 3600,
        }, new CustomResourceOptions { Parent = this });

        _ = new RolePolicy("permissions", new RolePolicyArgs
        {
            Name = "qa-db-deployer",
            Role = role.Name,
            Policy = args.Permissions.ToJson(indented: false),
        }, new CustomResourceOptions { Parent = this });

        RoleArn = role.Arn;
        RoleName = role.Name;
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["roleArn"] = RoleArn,
            ["oidcProviderArn"] = PulumiProviderArn,
        });
    }

    public Output<string> RoleArn { get; }

    public Output<string> RoleName { get; }

    public Output<string> PulumiProviderArn { get; }

    /// <summary>Null when no GitHub repository is trusted.</summary>
    public Output<string?> GitHubProviderArn { get; }
}
