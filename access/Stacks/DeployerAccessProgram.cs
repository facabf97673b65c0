using Pulumi;
using Pulumi.Aws;
using QaDatabases.Access;
using QaDatabases.Configuration;

namespace QaDatabases.AccessProgram;

/// <summary>
/// The access program: validate its config and the QA stacks' config, learn the account from the
/// credentials (a read-only invoke), decide both policy documents in Core, and only then declare
/// the OIDC provider(s) and the role. Any problem fails before the first resource.
/// </summary>
internal static class DeployerAccessProgram
{
    public static async Task<IDictionary<string, object?>> RunAsync(IReadOnlyDictionary<string, string> rawConfig, string repositoryRoot, DateTimeOffset? now = null)
    {
        AccessSettings settings;
        AccessScope scope;
        try
        {
            settings = AccessConfig.Read(rawConfig);
            var stacks = AccessScope.ReadStacks(repositoryRoot, settings.QaStacks, settings.Organization, now ?? DateTimeOffset.UtcNow);
            var identity = await GetCallerIdentity.InvokeAsync();
            scope = AccessScope.For(stacks, AccessConfig.CheckCallerAccount(settings, identity.AccountId));
        }
        catch (Exception e) when (e is ConfigValidationException or StackFileException)
        {
            // RunException: Pulumi prints the message alone, without a stack trace.
            throw new RunException(e.Message);
        }

        var access = new DeployerAccess("deployer", new DeployerAccessArgs(settings, scope, DeployerPolicy.Permissions(scope)));
        return new Dictionary<string, object?>
        {
            ["roleArn"] = access.RoleArn,
            ["roleName"] = access.RoleName,
            ["oidcProviderArn"] = access.PulumiProviderArn,
            ["githubOidcProviderArn"] = access.GitHubProviderArn,
            ["sourceClusters"] = scope.SourceClusters.ToArray(),
            ["clonePrefixes"] = scope.ClonePrefixes.ToArray(),
        };
    }
}
