using System.Text.RegularExpressions;
using QaDatabases.Access;
using QaDatabases.Configuration;

namespace QaDatabases.Cli.Commands;

/// <summary>
/// Prints the deployer role's permissions policy (or, with <c>--trust</c>, its trust policy) as
/// JSON, for teams who manage IAM outside the access program. Stdout carries the document and
/// nothing else, so it can be piped into <c>aws iam put-role-policy</c> or a file; notes go to stderr.
/// </summary>
internal static partial class PolicyCommand
{
    public static async Task<int> RunAsync(
        string directory, string stack, string? account, bool trust, string? organization, string? project, string? gitHubRepository,
        TextWriter stdout, TextWriter stderr)
    {
        if (account is not null && !AccessScope.IsAccountId(account))
        {
            throw new UsageException($"--account '{account}': expected a 12-digit AWS account id");
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

            var files = StackFiles.Read(directory, stack);
            var partition = AccessScope.For(ReadStack(directory, stack, organization), account).Partition;
            var document = DeployerPolicy.Trust(new TrustScope(
                organization,
                project ?? files.ProjectName,
                DeployerPolicy.OidcProviderArn(partition, account, DeployerPolicy.PulumiIssuer),
                gitHubRepository,
                gitHubRepository is null ? null : DeployerPolicy.OidcProviderArn(partition, account, DeployerPolicy.GitHubIssuer)));
            await stdout.WriteLineAsync(document.ToJson());
            return 0;
        }

        var scope = AccessScope.For(ReadStack(directory, stack, organization ?? "organization"), account);
        if (account is null)
        {
            await stderr.WriteLineAsync($"qa-db: no --account given: the policy's ARNs match any account ({AccessScope.AnyAccount}); pass --account to pin it.");
        }

        await stdout.WriteLineAsync(DeployerPolicy.Permissions(scope).ToJson());
        return 0;
    }

    private static IReadOnlyList<QaStackConfig> ReadStack(string directory, string stack, string organization) =>
        AccessScope.ReadStacks(directory, [stack], organization, DateTimeOffset.UtcNow);

    [GeneratedRegex("^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$")]
    internal static partial Regex GitHubRepository();
}
