using System.Text.Json;
using System.Text.RegularExpressions;
using QaDatabases.Configuration;

namespace QaDatabases.Access;

/// <summary>The access program's validated config (Pulumi project <c>qa-db-access</c>).</summary>
public sealed record AccessSettings
{
    /// <summary>The Pulumi organization: the OIDC token's audience and part of its subject.</summary>
    public required string Organization { get; init; }

    /// <summary>The Pulumi project whose deployments may assume the role.</summary>
    public required string Project { get; init; }

    /// <summary>The QA stacks (of <see cref="Project"/>, in the repository root) the role is scoped to.</summary>
    public required IReadOnlyList<string> QaStacks { get; init; }

    /// <summary>The account the role must be created in, checked against the credentials; null: whichever they are for.</summary>
    public required string? Account { get; init; }

    /// <summary>An account has one OIDC provider per URL: reuse this one instead of creating it.</summary>
    public required string? ExistingPulumiProviderArn { get; init; }

    /// <summary><c>owner/repo</c> whose pull-request workflows may assume the role too.</summary>
    public required string? GitHubRepository { get; init; }

    public required string? ExistingGitHubProviderArn { get; init; }

    public required string RoleName { get; init; }

    /// <summary>The stewards' role, for the golden and pool stacks among <see cref="QaStacks"/>.</summary>
    public required string StewardsRoleName { get; init; }

    /// <summary>The Pulumi ESC project whose environments <c>deployer</c> and <c>stewards</c> hand out the roles.</summary>
    public required string EscProject { get; init; }

    /// <summary>The name of <paramref name="role"/>'s IAM role.</summary>
    public string RoleNameOf(AccessRole role) => role == AccessRole.Stewards ? StewardsRoleName : RoleName;
}

/// <summary>The access program's config keys and their rules.</summary>
public static partial class AccessConfig
{
    /// <summary>The access program's Pulumi project name, and so its config namespace.</summary>
    public const string Namespace = "qa-db-access";

    public const string Organization = "organization";
    public const string Project = "project";
    public const string QaStacks = "qaStacks";
    public const string Account = "account";
    public const string ExistingOidcProviderArn = "existingOidcProviderArn";
    public const string GitHubRepository = "githubRepository";
    public const string ExistingGitHubOidcProviderArn = "existingGithubOidcProviderArn";
    public const string RoleName = "roleName";
    public const string StewardsRoleName = "stewardsRoleName";
    public const string EscProject = "escProject";

    public const string DefaultRoleName = AccessRoles.DefaultDeployerRoleName;

    public static IReadOnlyList<string> Keys { get; } =
        [Organization, Project, QaStacks, Account, ExistingOidcProviderArn, GitHubRepository, ExistingGitHubOidcProviderArn, RoleName, StewardsRoleName, EscProject];

    /// <summary>Validates the raw config (as Pulumi's <c>Config.Get</c> returns it); throws one exception listing every problem.</summary>
    public static AccessSettings Read(IReadOnlyDictionary<string, string> raw)
    {
        var problems = new List<ConfigProblem>();
        void Problem(string key, string? value, string allowed) => problems.Add(new(key, value, allowed, Namespace));
        string? Get(string key) => raw.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        foreach (var unknown in raw.Keys.Except(Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            Problem(unknown, raw[unknown], $"is not a key this program reads; known keys: {string.Join(", ", Keys)}");
        }

        var organization = Get(Organization);
        if (organization is null || !PulumiName().IsMatch(organization))
        {
            Problem(Organization, organization, "is required: the Pulumi organization whose deployments may assume the role (letters, digits, '-', '_', '.')");
        }

        var project = Get(Project) ?? ConfigKeys.Project;
        if (!PulumiName().IsMatch(project))
        {
            Problem(Project, project, "expected a Pulumi project name: letters, digits, '-', '_', '.'");
        }

        List<string>? stacks = ["qa"];
        if (Get(QaStacks) is { } stacksRaw)
        {
            try
            {
                stacks = JsonSerializer.Deserialize<List<string>>(stacksRaw);
            }
            catch (JsonException)
            {
                stacks = null;
            }

            if (stacks is null || stacks.Count == 0 || !stacks.All(s => PulumiName().IsMatch(s)))
            {
                Problem(QaStacks, stacksRaw, "expected a non-empty list of stack names whose Pulumi.<stack>.yaml is in the repository root, e.g. [qa]");
            }
        }

        var account = Get(Account);
        if (account is not null && !AccessScope.IsAccountId(account))
        {
            Problem(Account, account, "expected a 12-digit AWS account id, or empty for the account of the credentials");
        }

        var pulumiProvider = Get(ExistingOidcProviderArn);
        if (pulumiProvider is not null && !ProviderArn(DeployerPolicy.PulumiIssuer).IsMatch(pulumiProvider))
        {
            Problem(ExistingOidcProviderArn, pulumiProvider, $"expected the ARN of an IAM OIDC provider for https://{DeployerPolicy.PulumiIssuer}: arn:aws:iam::<account>:oidc-provider/{DeployerPolicy.PulumiIssuer}");
        }

        var repository = Get(GitHubRepository);
        if (repository is not null && !GitHubRepositoryName().IsMatch(repository))
        {
            Problem(GitHubRepository, repository, "expected owner/repo, or empty for no GitHub Actions trust");
        }

        var gitHubProvider = Get(ExistingGitHubOidcProviderArn);
        if (gitHubProvider is not null && !ProviderArn(DeployerPolicy.GitHubIssuer).IsMatch(gitHubProvider))
        {
            Problem(ExistingGitHubOidcProviderArn, gitHubProvider, $"expected the ARN of an IAM OIDC provider for https://{DeployerPolicy.GitHubIssuer}");
        }
        else if (gitHubProvider is not null && repository is null)
        {
            Problem(ExistingGitHubOidcProviderArn, gitHubProvider, $"applies only with {GitHubRepository}; set it or remove this key");
        }

        var roleName = Get(RoleName) ?? DefaultRoleName;
        if (!IamRoleName().IsMatch(roleName))
        {
            Problem(RoleName, roleName, "expected an IAM role name: 1-64 letters, digits and + = , . @ _ -");
        }

        var stewardsRoleName = Get(StewardsRoleName) ?? AccessRoles.DefaultStewardsRoleName;
        if (!IamRoleName().IsMatch(stewardsRoleName))
        {
            Problem(StewardsRoleName, stewardsRoleName, "expected an IAM role name: 1-64 letters, digits and + = , . @ _ -");
        }
        else if (stewardsRoleName == roleName)
        {
            Problem(StewardsRoleName, stewardsRoleName, $"is the deployer's {RoleName}; the stewards' role must be another role, or review stacks could write to goldens and pool members");
        }

        var escProject = Get(EscProject) ?? EscEnvironments.DefaultProject;
        if (!PulumiName().IsMatch(escProject))
        {
            Problem(EscProject, escProject, "expected a Pulumi ESC project name: letters, digits, '-', '_', '.'");
        }

        if (problems.Count > 0)
        {
            throw new ConfigValidationException(problems);
        }

        return new AccessSettings
        {
            Organization = organization!,
            Project = project,
            QaStacks = stacks!,
            Account = account,
            ExistingPulumiProviderArn = pulumiProvider,
            GitHubRepository = repository,
            ExistingGitHubProviderArn = gitHubProvider,
            RoleName = roleName,
            StewardsRoleName = stewardsRoleName,
            EscProject = escProject,
        };
    }

    /// <summary>
    /// The credentials' account, checked: 12 digits, the configured <c>account</c> if any, and the
    /// account of any existing provider named in config. Throws listing every mismatch.
    /// </summary>
    public static string CheckCallerAccount(AccessSettings settings, string callerAccount)
    {
        var problems = new List<ConfigProblem>();
        if (!AccessScope.IsAccountId(callerAccount))
        {
            problems.Add(new(Account, callerAccount, "the credentials' account (sts get-caller-identity) is not a 12-digit account id", Namespace));
        }
        else if (settings.Account is { } expected && expected != callerAccount)
        {
            problems.Add(new(Account, expected, $"the credentials are for account {callerAccount}: use credentials for {expected}, or change the key", Namespace));
        }

        foreach (var (key, arn) in new[] { (ExistingOidcProviderArn, settings.ExistingPulumiProviderArn), (ExistingGitHubOidcProviderArn, settings.ExistingGitHubProviderArn) })
        {
            if (arn is not null && arn.Split(':')[4] != callerAccount)
            {
                problems.Add(new(key, arn, $"is in another account than the credentials' ({callerAccount}); a role can trust only its own account's providers", Namespace));
            }
        }

        return problems.Count > 0 ? throw new ConfigValidationException(problems) : callerAccount;
    }

    private static Regex ProviderArn(string issuer) =>
        new($"^arn:aws(-cn|-us-gov)?:iam::[0-9]{{12}}:oidc-provider/{Regex.Escape(issuer)}$", RegexOptions.CultureInvariant);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")]
    private static partial Regex PulumiName();

    [GeneratedRegex("^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex GitHubRepositoryName();

    [GeneratedRegex(@"^[\w+=,.@-]{1,64}$")]
    private static partial Regex IamRoleName();
}
