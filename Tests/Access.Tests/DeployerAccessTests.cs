using System.Collections.Immutable;
using System.Text.Json;
using Pulumi;
using Pulumi.Testing;
using QaDatabases.AccessProgram;

namespace QaDatabases.Access.Tests;

/// <summary>A resource the program registered, with the inputs it gave.</summary>
public sealed record RegisteredResource(string Type, string Name, ImmutableDictionary<string, object> Inputs);

/// <summary>Records every resource and answers the caller-identity lookup with a configurable account.</summary>
public sealed class AccessMocks : IMocks
{
    public string CallerAccount { get; set; } = "123456789012";

    public List<RegisteredResource> Resources { get; } = [];

    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        lock (Resources)
        {
            Resources.Add(new RegisteredResource(args.Type!, args.Name!, args.Inputs));
        }

        var state = args.Inputs.ToBuilder();
        switch (args.Type)
        {
            case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
                var host = ((string)args.Inputs["url"])["https://".Length..];
                state["arn"] = $"arn:aws:iam::{CallerAccount}:oidc-provider/{host}";
                break;
            case "aws:iam/role:Role":
                state["arn"] = $"arn:aws:iam::{CallerAccount}:role/{args.Inputs["name"]}";
                break;
        }

        return Task.FromResult<(string?, object)>(($"{args.Name}-id", state.ToImmutable()));
    }

    public Task<object> CallAsync(MockCallArgs args) => Task.FromResult<object>(args.Token switch
    {
        "aws:index/getCallerIdentity:getCallerIdentity" => ImmutableDictionary<string, object>.Empty
            .Add("accountId", CallerAccount)
            .Add("arn", $"arn:aws:iam::{CallerAccount}:user/admin")
            .Add("userId", "AIDAEXAMPLE")
            .Add("id", CallerAccount),
        _ => throw new InvalidOperationException($"unexpected invoke {args.Token}"),
    });
}

/// <summary>What the access program declares, read from the inputs each resource is registered with.</summary>
public class DeployerAccessTests
{
    private static readonly string RepositoryRoot = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml")) && Directory.Exists(Path.Combine(dir.FullName, "access")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }

    private static Dictionary<string, string> Config(params (string Key, string Value)[] values)
    {
        var config = new Dictionary<string, string> { ["organization"] = "acme" };
        foreach (var (key, value) in values)
        {
            config[key] = value;
        }

        return config;
    }

    private static async Task<(AccessMocks Mocks, IDictionary<string, object?> Outputs)> UpAsync(
        Dictionary<string, string> config, AccessMocks? mocks = null, string? root = null)
    {
        mocks ??= new AccessMocks();
        IDictionary<string, object?> outputs = new Dictionary<string, object?>();
        await Deployment.TestAsync(mocks, new TestOptions { IsPreview = false, ProjectName = "qa-db-access", StackName = "prod-account" }, async () =>
        {
            outputs = await DeployerAccessProgram.RunAsync(config, root ?? RepositoryRoot);
            return outputs;
        });
        return (mocks, outputs);
    }

    private static async Task<Exception> FailsAsync(Dictionary<string, string> config, AccessMocks? mocks = null, string? root = null)
    {
        mocks ??= new AccessMocks();
        var error = await Record.ExceptionAsync(() => UpAsync(config, mocks, root));
        Assert.NotNull(error);
        Assert.Empty(mocks.Resources);
        return error;
    }

    private static RegisteredResource Single(AccessMocks mocks, string type) => Assert.Single(mocks.Resources, r => r.Type == type);

    private static Task<T> ValueAsync<T>(object? output) => QaDatabases.Testing.OutputValues.ValueAsync<T>(output);

    [Fact]
    public async Task The_oidc_provider_is_pulumi_clouds_with_the_audiences_of_deployments_and_esc()
    {
        var (mocks, outputs) = await UpAsync(Config());

        var provider = Single(mocks, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
        Assert.Equal("https://api.pulumi.com/oidc", provider.Inputs["url"]);
        Assert.Equal(["acme", "aws:acme"], ((ImmutableArray<object>)provider.Inputs["clientIdLists"]).Cast<string>());
        Assert.Equal("arn:aws:iam::123456789012:oidc-provider/api.pulumi.com/oidc", await ValueAsync<string>(outputs["oidcProviderArn"]));
    }

    [Fact]
    public async Task The_role_trusts_only_the_projects_deployments_with_exact_audience_and_subject()
    {
        var (mocks, outputs) = await UpAsync(Config());

        var role = Single(mocks, "aws:iam/role:Role");
        Assert.Equal("qa-db-deployer", role.Inputs["name"]);
        var statements = JsonDocument.Parse((string)role.Inputs["assumeRolePolicy"]).RootElement.GetProperty("Statement");
        Assert.Equal(2, statements.GetArrayLength());
        var statement = statements[0];
        Assert.Equal("arn:aws:iam::123456789012:oidc-provider/api.pulumi.com/oidc", statement.GetProperty("Principal").GetProperty("Federated").GetString());
        Assert.Equal("sts:AssumeRoleWithWebIdentity", statement.GetProperty("Action")[0].GetString());
        var condition = statement.GetProperty("Condition");
        Assert.Equal(["acme"], condition.GetProperty("StringEquals").GetProperty("api.pulumi.com/oidc:aud").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["pulumi:deploy:org:acme:project:qa-db:*"], condition.GetProperty("StringLike").GetProperty("api.pulumi.com/oidc:sub").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("arn:aws:iam::123456789012:role/qa-db-deployer", await ValueAsync<string>(outputs["roleArn"]));
        var esc = statements[1].GetProperty("Condition").GetProperty("StringEquals");
        Assert.Equal("aws:acme", esc.GetProperty("api.pulumi.com/oidc:aud")[0].GetString());
        Assert.Equal("pulumi:environments:pulumi.organization.login:acme:currentEnvironment.name:qa-db/deployer", esc.GetProperty("api.pulumi.com/oidc:sub")[0].GetString());
    }

    [Fact]
    public async Task The_inline_policy_is_the_one_core_decides_for_the_qa_stacks_in_this_account()
    {
        var (mocks, _) = await UpAsync(Config());

        var policy = Single(mocks, "aws:iam/rolePolicy:RolePolicy");
        Assert.Equal("qa-db-deployer", policy.Inputs["role"]);
        var json = (string)policy.Inputs["policy"];
        var scope = AccessScope.For(AccessScope.ReadStacks(RepositoryRoot, ["qa"], "acme", DateTimeOffset.UtcNow), "123456789012");
        Assert.Equal(DeployerPolicy.Permissions(scope).ToJson(indented: false), json);
        Assert.Contains("arn:aws:rds:eu-west-1:123456789012:cluster:prod-orders", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_provider_is_reused_instead_of_created()
    {
        const string existing = "arn:aws:iam::123456789012:oidc-provider/api.pulumi.com/oidc";

        var (mocks, outputs) = await UpAsync(Config(("existingOidcProviderArn", existing)));

        Assert.DoesNotContain(mocks.Resources, r => r.Type == "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
        Assert.Contains(existing, (string)Single(mocks, "aws:iam/role:Role").Inputs["assumeRolePolicy"], StringComparison.Ordinal);
        Assert.Equal(existing, await ValueAsync<string>(outputs["oidcProviderArn"]));
    }

    [Fact]
    public async Task A_github_repository_adds_its_provider_and_its_pull_request_subject()
    {
        var (mocks, _) = await UpAsync(Config(("githubRepository", "acme/qa-db")));

        var providers = mocks.Resources.Where(r => r.Type == "aws:iam/openIdConnectProvider:OpenIdConnectProvider").ToList();
        var github = Assert.Single(providers, p => (string)p.Inputs["url"] == "https://token.actions.githubusercontent.com");
        Assert.Equal(["sts.amazonaws.com"], ((ImmutableArray<object>)github.Inputs["clientIdLists"]).Cast<string>());
        var trust = JsonDocument.Parse((string)Single(mocks, "aws:iam/role:Role").Inputs["assumeRolePolicy"]).RootElement.GetProperty("Statement");
        Assert.Equal(3, trust.GetArrayLength());
        Assert.Equal("repo:acme/qa-db:pull_request", trust[2].GetProperty("Condition").GetProperty("StringEquals").GetProperty("token.actions.githubusercontent.com:sub")[0].GetString());
    }

    private static readonly string MaskOnceStacks = "[\"qa\", \"qa-golden\", \"qa-pool\"]";

    [Fact]
    public async Task Golden_and_pool_stacks_get_the_stewards_role_trusted_only_for_their_deployments_and_environment()
    {
        var (mocks, outputs) = await UpAsync(Config(("qaStacks", MaskOnceStacks)));

        var roles = mocks.Resources.Where(r => r.Type == "aws:iam/role:Role").ToDictionary(r => r.Name);
        Assert.Equal(["role", "stewards-role"], roles.Keys.Order(StringComparer.Ordinal));
        var stewards = roles["stewards-role"];
        Assert.Equal("qa-db-stewards", stewards.Inputs["name"]);
        var trust = JsonDocument.Parse((string)stewards.Inputs["assumeRolePolicy"]).RootElement.GetProperty("Statement");
        Assert.Equal(
            ["pulumi:deploy:org:acme:project:qa-db:stack:qa-golden:*", "pulumi:deploy:org:acme:project:qa-db:stack:qa-pool:*"],
            trust[0].GetProperty("Condition").GetProperty("StringLike").GetProperty("api.pulumi.com/oidc:sub").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("pulumi:environments:pulumi.organization.login:acme:currentEnvironment.name:qa-db/stewards",
            trust[1].GetProperty("Condition").GetProperty("StringEquals").GetProperty("api.pulumi.com/oidc:sub")[0].GetString());
        Assert.Equal("arn:aws:iam::123456789012:role/qa-db-stewards", await ValueAsync<string>(outputs["stewardsRoleArn"]));
    }

    [Fact]
    public async Task Each_roles_inline_policy_is_the_one_core_decides_for_its_stacks()
    {
        var (mocks, _) = await UpAsync(Config(("qaStacks", MaskOnceStacks)));

        var stacks = AccessScope.ReadStacks(RepositoryRoot, ["qa", "qa-golden", "qa-pool"], "acme", DateTimeOffset.UtcNow);
        var policies = mocks.Resources.Where(r => r.Type == "aws:iam/rolePolicy:RolePolicy").ToDictionary(r => r.Name, r => (string)r.Inputs["policy"]);
        Assert.Equal(DeployerPolicy.Permissions(AccessScope.For(stacks, "123456789012", AccessRole.Deployer)).ToJson(indented: false), policies["permissions"]);
        Assert.Equal(DeployerPolicy.Permissions(AccessScope.For(stacks, "123456789012", AccessRole.Stewards)).ToJson(indented: false), policies["stewards-permissions"]);
        Assert.Contains("StewardsWriteOnlyGoldensAndPoolMembers", policies["stewards-permissions"], StringComparison.Ordinal);
        Assert.Contains("DenyWritesOnGoldensAndPoolMembers", policies["permissions"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_program_prints_each_roles_esc_environment_naming_its_role()
    {
        var (_, outputs) = await UpAsync(Config(("qaStacks", MaskOnceStacks)));

        var environments = (Dictionary<string, object>)outputs["escEnvironments"]!;
        Assert.Equal(["qa-db/deployer", "qa-db/stewards"], environments.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(
            EscEnvironments.Definition("qa-db/stewards", "arn:aws:iam::123456789012:role/qa-db-stewards", "qa-db-stewards"),
            environments["qa-db/stewards"]);
        Assert.Contains("roleArn: arn:aws:iam::123456789012:role/qa-db-deployer", (string)environments["qa-db/deployer"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_organization_nothing_is_declared()
    {
        var error = await FailsAsync([]);

        Assert.Contains("qa-db-access:organization = (not set): is required", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_or_mismatched_account_fails_before_any_resource()
    {
        var malformed = await FailsAsync(Config(("account", "12345")));
        var mismatch = await FailsAsync(Config(("account", "210987654321")));

        Assert.Contains("qa-db-access:account = '12345': expected a 12-digit AWS account id", malformed.ToString(), StringComparison.Ordinal);
        Assert.Contains("the credentials are for account 123456789012", mismatch.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_qa_stack_without_a_source_fails_before_any_resource()
    {
        var root = Directory.CreateTempSubdirectory("qa-db-access-");
        File.Copy(Path.Combine(RepositoryRoot, "Pulumi.yaml"), Path.Combine(root.FullName, "Pulumi.yaml"));
        await File.WriteAllTextAsync(Path.Combine(root.FullName, "Pulumi.qa.yaml"), "config:\n  aws:region: eu-west-1\n  qa-db:vpcId: vpc-0a1b2c3d4e5f60718\n");

        var error = await FailsAsync(Config(), root: root.FullName);

        Assert.Contains("qa-db:sourceCluster = (not set): stack qa: is required", error.ToString(), StringComparison.Ordinal);
    }
}
