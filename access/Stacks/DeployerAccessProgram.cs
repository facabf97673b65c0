using Pulumi;
using Pulumi.Aws;
using QaDatabases.Access;
using QaDatabases.Configuration;

namespace QaDatabases.AccessProgram;

/// <summary>
/// The access program: validate its config and the QA stacks' config, learn the account from the
/// credentials (a read-only invoke), decide every role's documents in Core, and only then declare the
/// OIDC provider(s) and the roles. Any problem fails before the first resource.
/// </summary>
internal static class DeployerAccessProgram
{
    public static async Task<IDictionary<string, object?>> RunAsync(IReadOnlyDictionary<string, string> rawConfig, string repositoryRoot, DateTimeOffset? now = null)
    {
        AccessSettings settings;
        List<RoleAccess> roles;
        string account;
        try
        {
            settings = AccessConfig.Read(rawConfig);
            var stacks = AccessScope.ReadStacks(repositoryRoot, settings.QaStacks, settings.Organization, now ?? DateTimeOffset.UtcNow);
            var identity = await GetCallerIdentity.InvokeAsync();
            account = AccessConfig.CheckCallerAccount(settings, identity.AccountId);

            // A role for each kind of stack among qaStacks: review stacks get the deployer role, golden and
            // pool stacks the stewards'. Each scope still protects every stack's source.
            roles = [];
            foreach (var role in new[] { AccessRole.Deployer, AccessRole.Stewards })
            {
                var own = stacks.Where(s => AccessRoles.Of(s.Settings) == role).Select(s => s.Settings.Context.Stack).ToList();
                if (own.Count > 0)
                {
                    var scope = AccessScope.For(stacks, account, role);
                    roles.Add(new RoleAccess(role, settings.RoleNameOf(role), scope, DeployerPolicy.Permissions(scope), own));
                }
            }
        }
        catch (Exception e) when (e is ConfigValidationException or StackFileException)
        {
            // RunException: Pulumi prints the message alone, without a stack trace.
            throw new RunException(e.Message);
        }

        var access = new DeployerAccess("deployer", new DeployerAccessArgs(settings, roles));
        var partition = roles[0].Scope.Partition;
        return new Dictionary<string, object?>
        {
            ["roleArn"] = access.RoleArn,
            ["roleName"] = roles.Any(r => r.Role == AccessRole.Deployer) ? settings.RoleName : null,
            ["stewardsRoleArn"] = access.StewardsRoleArn,
            ["stewardsStacks"] = roles.FirstOrDefault(r => r.Role == AccessRole.Stewards)?.Stacks.ToArray(),
            ["oidcProviderArn"] = access.PulumiProviderArn,
            ["githubOidcProviderArn"] = access.GitHubProviderArn,
            ["sourceClusters"] = roles[0].Scope.SourceClusters.ToArray(),
            ["clonePrefixes"] = roles.SelectMany(r => r.Scope.ClonePrefixes).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),

            // What to paste into `pulumi env edit <name>` (or `esc env edit`), one per role: the roles'
            // ARNs are known before they exist (account and name), so these are plain text.
            ["escEnvironments"] = roles.ToDictionary(
                r => EscEnvironments.Name(settings.EscProject, r.Role),
                r => (object)EscEnvironments.Definition(EscEnvironments.Name(settings.EscProject, r.Role), EscEnvironments.RoleArn(partition, account, r.Name), r.Name)),
        };
    }
}
