using System.Text.RegularExpressions;
using QaDatabases.Access;
using QaDatabases.Configuration;

namespace QaDatabases.Cli.Commands;

/// <summary>What <c>qa-db policy</c> prints, for which role and stacks.</summary>
internal sealed record PolicyRequest(
    string Directory,
    IReadOnlyList<string> Stacks,
    AccessRole Role,
    string? Account,
    bool Trust,
    bool Esc,
    string? Organization,
    string? Project,
    string? GitHubRepository,
    string EscProject,
    string? RoleName);

/// <summary>
/// Prints a role's permissions policy (or, with <c>--trust</c>, its trust policy) as JSON, or (with
/// <c>--esc</c>) the definition of the Pulumi ESC environment that hands it out, for teams who manage
/// IAM and ESC outside the access program. Stdout carries the document and nothing else, so it can be
/// piped into <c>aws iam put-role-policy</c>, <c>esc env edit</c> or a file; notes go to stderr.
/// </summary>
internal static partial class PolicyCommand
{
    public static async Task<int> RunAsync(PolicyRequest request, TextWriter stdout, TextWriter stderr)
    {
        var (directory, stackNames, role, account, trust, esc, organization, project, gitHubRepository, escProject, roleName) = request;
        if (account is not null && !AccessScope.IsAccountId(account))
        {
            throw new UsageException($"--account '{account}': expected a 12-digit AWS account id");
        }

        if (trust && esc)
        {
            throw new UsageException("--trust and --esc exclude each other: one document at a time");
        }

        var stacks = AccessScope.ReadStacks(directory, stackNames, organization ?? "organization", DateTimeOffset.UtcNow);
        AccessScope scope;
        try
        {
            scope = AccessScope.For(stacks, account, role);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{e.Message.Split(" (Parameter", 2)[0]}; pass --stack for each of them, or --role {AccessRoles.Name(role == AccessRole.Deployer ? AccessRole.Stewards : AccessRole.Deployer)}");
        }

        var environment = EscEnvironments.Name(escProject, role);
        var name = roleName ?? (role == AccessRole.Stewards ? AccessRoles.DefaultStewardsRoleName : AccessRoles.DefaultDeployerRoleName);
        if (esc)
        {
            // The environment names the role by ARN: IAM accepts no wildcard account there.
            await stdout.WriteAsync(EscEnvironments.Definition(environment,
                EscEnvironments.RoleArn(scope.Partition, account ?? throw new UsageException("--esc needs --account: the environment names the role's ARN"), name), name));
            return 0;
        }

        if (trust)
        {
            if (organization is null)
            {
                throw new UsageException("--trust needs --org ORG: the Pulumi organization is the token's audience and part of its subject");
            }

            // A trust policy's principal is one account's OIDC provider: IAM accepts no wildcard there.
            if (account is null)
            {
                throw new UsageException("--trust needs --account: the trust policy names the account's OIDC provider");
            }

            if (gitHubRepository is not null && !GitHubRepository().IsMatch(gitHubRepository))
            {
                throw new UsageException($"--github-repo '{gitHubRepository}': expected owner/repo");
            }

            if (gitHubRepository is not null && role == AccessRole.Stewards)
            {
                throw new UsageException("--github-repo applies to the deployer role: pull-request workflows deploy review stacks, never goldens or pools");
            }

            var document = DeployerPolicy.Trust(new TrustScope(
                organization,
                project ?? StackFiles.Read(directory, stackNames[0]).ProjectName,
                DeployerPolicy.OidcProviderArn(scope.Partition, account, DeployerPolicy.PulumiIssuer),
                gitHubRepository,
                gitHubRepository is null ? null : DeployerPolicy.OidcProviderArn(scope.Partition, account, DeployerPolicy.GitHubIssuer),
                role == AccessRole.Stewards ? StacksOf(stacks, role) : null,
                environment));
            await stdout.WriteLineAsync(document.ToJson());
            return 0;
        }

        if (account is null)
        {
            await stderr.WriteLineAsync($"qa-db: no --account given: the policy's ARNs match any account ({AccessScope.AnyAccount}); pass --account to pin it.");
        }

        await stdout.WriteLineAsync(DeployerPolicy.Permissions(scope).ToJson());
        return 0;
    }

    /// <summary>The names of the stacks that deploy with <paramref name="role"/>.</summary>
    internal static IReadOnlyList<string> StacksOf(IEnumerable<QaStackConfig> stacks, AccessRole role) =>
        stacks.Where(s => AccessRoles.Of(s.Settings) == role).Select(s => s.Settings.Context.Stack).ToList();

    [GeneratedRegex("^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$")]
    internal static partial Regex GitHubRepository();
}
