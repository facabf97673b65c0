using System.Text.Json;
using QaDatabases.Access;
using QaDatabases.Cli;
using QaDatabases.Configuration;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

/// <summary>The deployer role's documents, statement by statement.</summary>
public class DeployerPolicyTests
{
    private const string Account = "123456789012";

    private static AccessScope Scope(string? account = Account, params StackSettings[] stacks) =>
        AccessScope.For((stacks.Length == 0 ? [Settings.Read()] : stacks).Select(s => new QaStackConfig(s, "eu-west-1")).ToList(), account);

    private static PolicyDocument Permissions(AccessScope? scope = null) => DeployerPolicy.Permissions(scope ?? Scope());

    private static readonly string[] Destructive = ["Modify", "Delete", "Remove", "Revoke", "Reboot", "Stop", "Failover"];

    private static bool IsDestructive(string action) => Destructive.Any(d => action.Split(':')[1].StartsWith(d, StringComparison.Ordinal));

    [Fact]
    public void No_statement_grants_every_action_of_a_service()
    {
        var actions = Permissions().Statements.SelectMany(s => s.Actions.Concat(s.NotActions)).ToList();

        Assert.DoesNotContain(actions, a => a == "*" || a.EndsWith(":*", StringComparison.Ordinal));
        Assert.All(actions, a => Assert.Matches("^[a-z0-9-]+:[A-Za-z]+\\*?$", a));
    }

    [Fact]
    public void Every_destructive_allow_is_scoped_to_the_clones_by_name_or_tag()
    {
        var policy = Permissions();
        var destructive = policy.Statements.Where(s => s.Effect == PolicyEffect.Allow && s.Actions.Any(IsDestructive)).ToList();

        Assert.NotEmpty(destructive);
        foreach (var statement in destructive)
        {
            Assert.DoesNotContain("*", statement.Resources);
            foreach (var resource in statement.Resources)
            {
                var kind = resource.Split(':')[5];
                var scoped = kind switch
                {
                    // RDS clusters, instances and snapshots: by the clone prefix.
                    "cluster" or "db" or "cluster-snapshot" => resource.EndsWith(":qadb-*", StringComparison.Ordinal),

                    // Groups are only referenced by these actions, never changed (see the statement).
                    "cluster-pg" or "pg" or "og" or "subgrp" => statement.Sid == "ReferenceGroupsOfClones",

                    // EC2 and SSM: by the tool's tag, or the SSM path.
                    _ => statement.ConditionOn("aws:ResourceTag/qa-db:created-by") is not null
                        || resource.Contains(":parameter/qa/*/db/*", StringComparison.Ordinal)
                        || (statement.Sid == "PoolLeases" && resource.Contains(":parameter/qa-db/pools/qa-pool", StringComparison.Ordinal)),
                };
                Assert.True(scoped, $"{statement.Sid}: {resource}");
            }
        }
    }

    [Fact]
    public void Creates_require_the_tools_tag_in_the_request()
    {
        var policy = Permissions();

        foreach (var sid in new[] { "RestoreClonesFromSources", "CreateCloneInstances", "CreateCloneSecurityGroups" })
        {
            var condition = policy[sid].ConditionOn("aws:RequestTag/qa-db:created-by");
            Assert.Equal(new PolicyCondition("StringEquals", "aws:RequestTag/qa-db:created-by", ["qa-databases"]), condition);
        }

        Assert.Equal(
            ["arn:aws:rds:eu-west-1:123456789012:cluster:qadb-*", "arn:aws:rds:eu-west-1:123456789012:cluster:prod-orders"],
            policy["RestoreClonesFromSources"].Resources);
        Assert.Equal(
            ["arn:aws:rds:eu-west-1:123456789012:db:qadb-*", "arn:aws:rds:eu-west-1:123456789012:cluster:qadb-*"],
            policy["CreateCloneInstances"].Resources);
        Assert.Equal(["arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0a1b2c3d4e5f60718"], policy["CreateSecurityGroupsInQaVpcs"].Resources);
    }

    [Fact]
    public void Changes_and_deletes_require_the_prefix_and_the_tools_tag_on_the_resource()
    {
        var statement = Permissions()["ModifyAndDeleteClones"];

        Assert.Equal(["rds:ModifyDBCluster", "rds:DeleteDBCluster", "rds:ModifyDBInstance", "rds:DeleteDBInstance"], statement.Actions);
        Assert.Equal(["arn:aws:rds:eu-west-1:123456789012:cluster:qadb-*", "arn:aws:rds:eu-west-1:123456789012:db:qadb-*"], statement.Resources);
        Assert.Equal(["qa-databases"], statement.ConditionOn("aws:ResourceTag/qa-db:created-by")!.Values);
    }

    [Fact]
    public void Rds_tags_can_be_put_only_on_prefix_named_resources_and_the_ownership_tag_never_removed()
    {
        var policy = Permissions();

        Assert.All(policy.Statements.Where(s => s.Effect == PolicyEffect.Allow && s.Actions.Contains("rds:AddTagsToResource")),
            s => Assert.All(s.Resources, r => Assert.EndsWith(":qadb-*", r, StringComparison.Ordinal)));
        Assert.Equal(new PolicyCondition("ForAllValues:StringNotEquals", "aws:TagKeys", ["qa-db:created-by"]),
            policy["UntagClones"].ConditionOn("aws:TagKeys"));
        Assert.Equal(new PolicyCondition("StringEquals", "ec2:CreateAction", ["CreateSecurityGroup"]),
            policy["TagSecurityGroupsAtCreate"].ConditionOn("ec2:CreateAction"));
    }

    [Fact]
    public void Each_source_and_its_secret_are_explicitly_denied()
    {
        var policy = Permissions(Scope(Account, Settings.Read(), Settings.With(("sourceCluster", "Prod-Billing"))));

        var sources = policy["DenyAllButReadAndRestoreOnSources"];
        Assert.Equal(PolicyEffect.Deny, sources.Effect);
        Assert.Equal(["rds:Describe*", "rds:List*", "rds:RestoreDBClusterToPointInTime"], sources.NotActions);
        Assert.Equal(["arn:aws:rds:eu-west-1:123456789012:cluster:prod-billing", "arn:aws:rds:eu-west-1:123456789012:cluster:prod-orders"], sources.Resources);

        var secrets = policy["DenyReadingSourceSecrets"];
        Assert.Equal(PolicyEffect.Deny, secrets.Effect);
        Assert.Contains("secretsmanager:GetSecretValue", secrets.Actions);
        Assert.Equal(sources.Resources, secrets.ConditionOn("aws:ResourceTag/aws:rds:primaryDBClusterArn")!.Values);

        var instances = policy["DenyWritesOnInstancesNotCreatedByTheTool"];
        Assert.Equal(["arn:aws:rds:eu-west-1:123456789012:db:*"], instances.Resources);
        Assert.Equal(new PolicyCondition("StringNotEquals", "aws:ResourceTag/qa-db:created-by", ["qa-databases"]), instances.ConditionOn("aws:ResourceTag/qa-db:created-by"));
    }

    [Fact]
    public void Hooks_read_only_secrets_rds_manages_for_clones()
    {
        var statement = Permissions()["ReadCloneSecrets"];

        Assert.Equal(["arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-*"], statement.Resources);
        Assert.Equal(new PolicyCondition("StringLike", "aws:ResourceTag/aws:rds:primaryDBClusterArn", ["arn:aws:rds:eu-west-1:123456789012:cluster:qadb-*"]),
            statement.ConditionOn("aws:ResourceTag/aws:rds:primaryDBClusterArn"));
    }

    [Fact]
    public void Pool_state_is_writable_only_under_the_pools_the_stacks_make_or_claim_from()
    {
        var claimer = Settings.With(("pool", "qa-pool"));
        var pool = Settings.Read(new Dictionary<string, string>(Settings.MinimalRaw()) { ["poolSize"] = "3" }, stack: "qa-pool");

        var leases = Permissions(Scope(Account, claimer, pool))["PoolLeases"];

        Assert.Equal(["arn:aws:ssm:eu-west-1:123456789012:parameter/qa-db/pools/qa-pool", "arn:aws:ssm:eu-west-1:123456789012:parameter/qa-db/pools/qa-pool/*"], leases.Resources);
        Assert.Contains("ssm:PutParameter", leases.Actions);
        Assert.Contains("ssm:GetParametersByPath", leases.Actions);
        Assert.DoesNotContain(Permissions().Statements, s => s.Sid == "PoolLeases");
    }

    [Fact]
    public void Ssm_parameters_only_under_the_stacks_prefixes()
    {
        var policy = Permissions(Scope(Account, Settings.Read(), Settings.With(("ssmPrefix", "/team/qa-db"))));

        Assert.Equal(
            ["arn:aws:ssm:eu-west-1:123456789012:parameter/qa/*/db/*", "arn:aws:ssm:eu-west-1:123456789012:parameter/team/qa-db/*"],
            policy["PublishUnderSsmPrefix"].Resources);
        Assert.All(policy.Statements.Where(s => s.Actions.Any(a => a.StartsWith("ssm:", StringComparison.Ordinal) && a.Contains("Parameter", StringComparison.Ordinal))),
            s => Assert.True(s.Sid == "PublishUnderSsmPrefix" || s.Actions.SequenceEqual(["rds:Describe*", "rds:ListTagsForResource", "ec2:Describe*", "ssm:DescribeParameters"]), s.Sid));
    }

    [Fact]
    public void Sessions_only_through_configured_bastions_and_none_without_one()
    {
        var withBastion = Permissions(Scope(Account, Settings.With(("connectionRoute", "ssm-port-forward"), ("bastionInstanceId", "i-0fedcba9876543210"))));
        var without = Permissions();

        Assert.Equal(
            ["arn:aws:ec2:eu-west-1:123456789012:instance/i-0fedcba9876543210", "arn:aws:ssm:eu-west-1::document/AWS-StartPortForwardingSessionToRemoteHost"],
            withBastion["PortForwardThroughBastions"].Resources);
        Assert.DoesNotContain(without.Statements, s => s.Actions.Contains("ssm:StartSession"));
    }

    [Fact]
    public void Host_names_may_be_changed_only_in_the_stacks_zones_and_only_under_their_clone_prefixes()
    {
        var policy = Permissions(Scope(Account,
            Settings.With(("dnsZoneId", "Z0123456789ABCDEFGHIJ")),
            Settings.With(("dnsZoneId", "Z0123456789ABCDEFGHIJ"), ("clonePrefix", "review-"))));

        var change = policy["ChangeEnvironmentHostNames"];
        Assert.Equal(["route53:ChangeResourceRecordSets"], change.Actions);
        Assert.Equal(["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"], change.Resources);
        Assert.Equal(
            [
                new PolicyCondition("ForAllValues:StringLike", "route53:ChangeResourceRecordSetsNormalizedRecordNames", ["qadb-*", "review-*"]),
                new PolicyCondition("Null", "route53:ChangeResourceRecordSetsNormalizedRecordNames", ["false"]),
                new PolicyCondition("ForAllValues:StringEquals", "route53:ChangeResourceRecordSetsRecordTypes", ["CNAME"]),
            ],
            change.Conditions);
        Assert.Equal(["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ", "arn:aws:route53:::change/*"], policy["ReadDnsZones"].Resources);
    }

    [Fact]
    public void Without_a_zone_or_with_a_pool_stacks_zone_there_is_no_route_53_permission()
    {
        var pool = Settings.Read(new Dictionary<string, string>(Settings.MinimalRaw()) { ["poolSize"] = "3", ["dnsZoneId"] = "Z0123456789ABCDEFGHIJ" }, stack: "qa-pool");

        Assert.DoesNotContain(Permissions().Statements, s => s.Actions.Any(a => a.StartsWith("route53:", StringComparison.Ordinal)));
        Assert.DoesNotContain(Permissions(Scope(Account, pool)).Statements, s => s.Actions.Any(a => a.StartsWith("route53:", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_policy_with_every_optional_statement_fits_a_roles_inline_policy_limit()
    {
        var everything = Settings.With(
            ("pool", "qa-pool"), ("dnsZoneId", "Z0123456789ABCDEFGHIJ"), ("connectionRoute", "ssm-port-forward"), ("bastionInstanceId", "i-0fedcba9876543210"));

        var json = Permissions(Scope(Account, everything)).ToJson(indented: false);

        Assert.True(json.Length < PolicyDocument.InlinePolicyLimit, $"{json.Length} characters");
    }

    [Fact]
    public void Service_linked_role_and_key_grants_only_for_rds()
    {
        var policy = Permissions();

        Assert.Equal(["rds.amazonaws.com"], policy["CreateRdsServiceLinkedRole"].ConditionOn("iam:AWSServiceName")!.Values);
        Assert.Equal(["true"], policy["GrantKeysToRdsAndSecretsManager"].ConditionOn("kms:GrantIsForAWSResource")!.Values);
        Assert.Equal(["rds.eu-west-1.amazonaws.com", "secretsmanager.eu-west-1.amazonaws.com"], policy["GrantKeysToRdsAndSecretsManager"].ConditionOn("kms:ViaService")!.Values);
    }

    [Fact]
    public void Without_an_account_arns_match_any_account_and_china_regions_use_their_partition()
    {
        var any = Permissions(Scope(account: null));
        var china = DeployerPolicy.Permissions(AccessScope.For([new QaStackConfig(Settings.Read(), "cn-north-1")], Account));

        Assert.Contains("arn:aws:rds:eu-west-1:*:cluster:qadb-*", any["ModifyAndDeleteClones"].Resources);
        Assert.Contains("arn:aws-cn:rds:cn-north-1:123456789012:cluster:qadb-*", china["ModifyAndDeleteClones"].Resources);
    }

    [Fact]
    public void The_policy_fits_a_roles_inline_policy_limit()
    {
        var json = Permissions().ToJson(indented: false);

        Assert.True(json.Length < PolicyDocument.InlinePolicyLimit, $"{json.Length} characters");
        Assert.Equal(Permissions().Statements.Count, JsonDocument.Parse(json).RootElement.GetProperty("Statement").GetArrayLength());
    }

    [Fact]
    public void Stacks_in_two_regions_or_a_source_under_another_stacks_prefix_are_refused()
    {
        var regions = Assert.Throws<ConfigValidationException>(() => AccessScope.For(
            [new QaStackConfig(Settings.Read(), "eu-west-1"), new QaStackConfig(Settings.Read(), "us-east-1")], Account));
        var covered = Assert.Throws<ConfigValidationException>(() => AccessScope.For(
            [new QaStackConfig(Settings.Read(), "eu-west-1"), new QaStackConfig(Settings.With(("sourceCluster", "billing"), ("clonePrefix", "prod-")), "eu-west-1")], Account));

        Assert.StartsWith("aws:region = 'eu-west-1, us-east-1'", Assert.Single(regions.Problems).ToString(), StringComparison.Ordinal);
        var problem = Assert.Single(covered.Problems);
        Assert.Equal(("sourceCluster", "prod-orders"), (problem.Key, problem.Value));
        Assert.Contains("clone prefix 'prod-'", problem.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void The_trust_policy_admits_only_the_projects_deployments_and_the_repos_pull_requests()
    {
        var trust = DeployerPolicy.Trust(new TrustScope("acme", "qa-db",
            "arn:aws:iam::123456789012:oidc-provider/api.pulumi.com/oidc", "acme/qa-db",
            "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"));

        var pulumi = trust["PulumiDeploymentsOfTheProject"];
        Assert.Equal("arn:aws:iam::123456789012:oidc-provider/api.pulumi.com/oidc", pulumi.FederatedPrincipal);
        Assert.Equal(["sts:AssumeRoleWithWebIdentity"], pulumi.Actions);
        Assert.Equal(new PolicyCondition("StringEquals", "api.pulumi.com/oidc:aud", ["acme"]), pulumi.ConditionOn("api.pulumi.com/oidc:aud"));
        Assert.Equal(new PolicyCondition("StringLike", "api.pulumi.com/oidc:sub", ["pulumi:deploy:org:acme:project:qa-db:*"]), pulumi.ConditionOn("api.pulumi.com/oidc:sub"));

        var github = trust["GitHubActionsPullRequests"];
        Assert.Equal(new PolicyCondition("StringEquals", "token.actions.githubusercontent.com:sub", ["repo:acme/qa-db:pull_request"]), github.ConditionOn("token.actions.githubusercontent.com:sub"));
        Assert.Equal(["sts.amazonaws.com"], github.ConditionOn("token.actions.githubusercontent.com:aud")!.Values);
        Assert.Single(DeployerPolicy.Trust(new TrustScope("acme", "qa-db", "arn:aws:iam::123456789012:oidc-provider/api.pulumi.com/oidc")).Statements);
    }

    [Fact]
    public async Task The_policy_command_prints_only_json_on_stdout_and_notes_the_wildcard_account_on_stderr()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await QaDbCli.RunAsync(["policy", "--stack", "qa", "--dir", Repo.Root], stdout, stderr);

        Assert.Equal(0, exit);
        var document = JsonDocument.Parse(stdout.ToString());
        Assert.Equal("2012-10-17", document.RootElement.GetProperty("Version").GetString());
        Assert.Contains("no --account given", stderr.ToString(), StringComparison.Ordinal);
        Assert.Single(stderr.ToString().Trim().Split('\n'));
    }

    [Fact]
    public async Task The_trust_command_needs_the_org_and_account_and_prints_the_trust_policy()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await QaDbCli.RunAsync(["policy", "--stack", "qa", "--dir", Repo.Root, "--trust", "--org", "acme", "--account", Account, "--github-repo", "acme/qa-db"], stdout, stderr);
        var noOrg = await QaDbCli.RunAsync(["policy", "--dir", Repo.Root, "--trust", "--account", Account], new StringWriter(), stderr);
        var badAccount = await QaDbCli.RunAsync(["policy", "--dir", Repo.Root, "--account", "12345"], new StringWriter(), stderr);

        Assert.Equal(0, exit);
        var statements = JsonDocument.Parse(stdout.ToString()).RootElement.GetProperty("Statement");
        Assert.Equal("arn:aws:iam::123456789012:oidc-provider/api.pulumi.com/oidc", statements[0].GetProperty("Principal").GetProperty("Federated").GetString());
        Assert.Equal("pulumi:deploy:org:acme:project:qa-db:*", statements[0].GetProperty("Condition").GetProperty("StringLike").GetProperty("api.pulumi.com/oidc:sub")[0].GetString());
        Assert.Equal((2, 2), (noOrg, badAccount));
        Assert.Contains("--trust needs --org", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("--account '12345': expected a 12-digit AWS account id", stderr.ToString(), StringComparison.Ordinal);
    }
}
