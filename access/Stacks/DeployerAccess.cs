using Pulumi;
using Pulumi.Aws.Iam;
using QaDatabases.Access;

namespace QaDatabases.AccessProgram;

/// <summary>One role the access program declares: its scope and its permissions, decided in Core.</summary>
internal sealed record RoleAccess(AccessRole Role, string Name, AccessScope Scope, PolicyDocument Permissions, IReadOnlyList<string> Stacks);

/// <summary>What the access is made of; every document is decided in Core.</summary>
internal sealed record DeployerAccessArgs(AccessSettings Settings, IReadOnlyList<RoleAccess> Roles);

/// <summary>
/// The QA stacks' access in one account and region: the IAM OIDC provider for Pulumi Cloud (or the
/// existing one), optionally GitHub Actions', and a role per kind of stack, each trusted only by its
/// stacks' Deployments and its own Pulumi ESC environment, with its permissions as an inline policy:
/// the deployer role for review stacks, the stewards' role for golden and pool stacks.
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
        // Its audiences: Deployments' tokens carry the organization, ESC's aws-login tokens aws:<org>.
        PulumiProviderArn = settings.ExistingPulumiProviderArn is { } existing
            ? Output.Create(existing)
            : new OpenIdConnectProvider("pulumi-oidc", new OpenIdConnectProviderArgs
            {
                Url = $"https://{DeployerPolicy.PulumiIssuer}",
                ClientIdLists = { settings.Organization, EscEnvironments.Audience(settings.Organization) },
            }, new CustomResourceOptions { Parent = this }).Arn;

        Output<string>? gitHubProviderArn = null;
        if (settings.GitHubRepository is not null && args.Roles.Any(r => r.Role == AccessRole.Deployer))
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

        var arns = new Dictionary<AccessRole, Output<string>>();
        foreach (var access in args.Roles)
        {
            var stewards = access.Role == AccessRole.Stewards;

            // The deployer keeps the resource names it always had, so existing access stacks replace nothing.
            var prefix = stewards ? "stewards-" : "";
            var repository = stewards ? null : settings.GitHubRepository;
            var trust = Output.Tuple(PulumiProviderArn, gitHubProviderArn ?? Output.Create(""))
                .Apply(providers => DeployerPolicy.Trust(new TrustScope(
                    settings.Organization,
                    settings.Project,
                    providers.Item1,
                    repository,
                    repository is null ? null : providers.Item2,
                    stewards ? access.Stacks : null,
                    EscEnvironments.Name(settings.EscProject, access.Role))).ToJson());

            var role = new Role(prefix + "role", new RoleArgs
            {
                Name = access.Name,
                Description = stewards
                    ? $"qa-db stewards: make, refresh and remove the goldens and pool members of {string.Join(", ", access.Stacks)} in {access.Scope.Region}; never changes a source."
                    : $"qa-db deployer: creates and removes QA clones in {access.Scope.Region}; never changes a source, a golden or a pool member.",
                AssumeRolePolicy = trust,

                // Deployments asks for a one-hour session (deploy/qa.deployment-settings.json), ESC the same.
                MaxSessionDuration = 3600,
            }, new CustomResourceOptions { Parent = this });

            _ = new RolePolicy(prefix + "permissions", new RolePolicyArgs
            {
                Name = stewards ? AccessRoles.DefaultStewardsRoleName : AccessRoles.DefaultDeployerRoleName,
                Role = role.Name,
                Policy = access.Permissions.ToJson(indented: false),
            }, new CustomResourceOptions { Parent = this });

            arns[access.Role] = role.Arn;
        }

        RoleArn = arns.TryGetValue(AccessRole.Deployer, out var deployer) ? deployer.Apply(arn => (string?)arn) : Output.Create((string?)null);
        StewardsRoleArn = arns.TryGetValue(AccessRole.Stewards, out var steward) ? steward.Apply(arn => (string?)arn) : Output.Create((string?)null);
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["roleArn"] = RoleArn,
            ["stewardsRoleArn"] = StewardsRoleArn,
            ["oidcProviderArn"] = PulumiProviderArn,
        });
    }

    /// <summary>The deployer role; null when no QA stack is a review stack.</summary>
    public Output<string?> RoleArn { get; }

    /// <summary>The stewards' role; null when no QA stack is a golden or a pool.</summary>
    public Output<string?> StewardsRoleArn { get; }

    public Output<string> PulumiProviderArn { get; }

    /// <summary>Null when no GitHub repository is trusted.</summary>
    public Output<string?> GitHubProviderArn { get; }
}
