using QaDatabases.Pool;
using QaDatabases.Tagging;

namespace QaDatabases.Access;

/// <summary>
/// The deployer role's policies: what whoever runs <c>pulumi up</c>/<c>destroy</c> on a QA stack may do,
/// enforced by AWS rather than by this program's code.
/// <list type="bullet">
/// <item>Create only what carries the tool's tag (<c>aws:RequestTag</c>) and, for RDS, only under the
/// clone prefix: a create request's tags are also authorized as <c>rds:AddTagsToResource</c> on the
/// new resource, which has no tags yet, so only its name tells a new clone from an existing cluster.</item>
/// <item>Change and delete only what is named with the prefix (RDS) and carries the tool's tag
/// (<c>aws:ResourceTag</c>); tag only prefix-named RDS resources, and EC2 groups only in the request that
/// creates them or once they carry the tag: nothing can be adopted by tagging it.</item>
/// <item>Explicitly deny, whatever else the role is ever given, every RDS action on the source clusters
/// except describing them and restoring from them; every write on an instance without the tool's tag
/// (the sources' instances have identifiers no config names, so they are caught by lacking the tag);
/// and reading the sources' managed secrets.</item>
/// </list>
/// </summary>
public static class DeployerPolicy
{
    /// <summary>Pulumi Cloud's OIDC issuer, without the scheme: the IAM provider's URL and its condition-key prefix.</summary>
    public const string PulumiIssuer = "api.pulumi.com/oidc";

    /// <summary>GitHub Actions' OIDC issuer, for the plain-CLI flow from a pull request workflow.</summary>
    public const string GitHubIssuer = "token.actions.githubusercontent.com";

    /// <summary>The audience GitHub's <c>aws-actions/configure-aws-credentials</c> requests.</summary>
    public const string GitHubAudience = "sts.amazonaws.com";

    /// <summary>The tag RDS puts on the secret it manages for a cluster, holding the cluster's ARN.</summary>
    public const string RdsSecretOwnerTag = "aws:rds:primaryDBClusterArn";

    private const string ToolRequestTag = "aws:RequestTag/" + ResourceTags.CreatedBy;
    private const string ToolResourceTag = "aws:ResourceTag/" + ResourceTags.CreatedBy;

    /// <summary>The names a ChangeResourceRecordSets request changes, lower case, without the trailing dot.</summary>
    private const string RecordNamesKey = "route53:ChangeResourceRecordSetsNormalizedRecordNames";

    /// <summary>The permissions policy of the deployer role for the given scope.</summary>
    public static PolicyDocument Permissions(AccessScope scope)
    {
        var clusters = scope.ClonePrefixes.Select(p => scope.Arn("rds", $"cluster:{p}*")).ToList();
        var instances = scope.ClonePrefixes.Select(p => scope.Arn("rds", $"db:{p}*")).ToList();
        var sources = scope.SourceClusters.Select(s => scope.Arn("rds", $"cluster:{s}")).ToList();
        var securityGroups = scope.Arn("ec2", "security-group/*");
        PolicyCondition Tool(string key) => new("StringEquals", key, [ResourceTags.ToolName]);

        var statements = new List<PolicyStatement>
        {
            new()
            {
                // Describe and list calls have no resource-level scoping for most of these actions
                // and change nothing: the preflight, the source lookup and the provider's reads.
                Sid = "ReadOnly",
                Effect = PolicyEffect.Allow,
                Actions = ["rds:Describe*", "rds:ListTagsForResource", "ec2:Describe*", "ssm:DescribeParameters"],
                Resources = ["*"],
            },
            new()
            {
                // Authorized against the new clone and against the source it is restored from.
                Sid = "RestoreClonesFromSources",
                Effect = PolicyEffect.Allow,
                Actions = ["rds:RestoreDBClusterToPointInTime"],
                Resources = [.. clusters, .. sources],
                Conditions = [Tool(ToolRequestTag)],
            },
            new()
            {
                Sid = "CreateCloneInstances",
                Effect = PolicyEffect.Allow,
                Actions = ["rds:CreateDBInstance"],
                Resources = [.. instances, .. clusters],
                Conditions = [Tool(ToolRequestTag)],
            },
            new()
            {
                // Restores and instance creation are also authorized against the parameter, option
                // and subnet groups they name, and the provider's follow-up modifications against
                // the parameter groups: these actions only reference the groups, never change them,
                // and each is authorized against a prefix-scoped cluster or instance as well.
                Sid = "ReferenceGroupsOfClones",
                Effect = PolicyEffect.Allow,
                Actions = ["rds:RestoreDBClusterToPointInTime", "rds:CreateDBInstance", "rds:ModifyDBCluster", "rds:ModifyDBInstance"],
                Resources = [scope.Arn("rds", "cluster-pg:*"), scope.Arn("rds", "pg:*"), scope.Arn("rds", "og:*"), scope.Arn("rds", "subgrp:*")],
            },
            new()
            {
                // Tags at create (a restore or CreateDBInstance with tags is also AddTagsToResource on
                // the new, untagged resource) and later tag updates: only the prefix tells them apart
                // from an existing cluster, so only the prefix is allowed.
                Sid = "TagClones",
                Effect = PolicyEffect.Allow,
                Actions = ["rds:AddTagsToResource"],
                Resources = [.. clusters, .. instances],
            },
            new()
            {
                // Pulumi removes a tag whose config went away; the ownership tag itself stays.
                Sid = "UntagClones",
                Effect = PolicyEffect.Allow,
                Actions = ["rds:RemoveTagsFromResource"],
                Resources = [.. clusters, .. instances],
                Conditions = [Tool(ToolResourceTag), new("ForAllValues:StringNotEquals", "aws:TagKeys", [ResourceTags.CreatedBy])],
            },
            new()
            {
                // The provider sets Serverless v2 scaling and the managed master password with a
                // ModifyDBCluster right after the restore, when the clone already carries the tag.
                Sid = "ModifyAndDeleteClones",
                Effect = PolicyEffect.Allow,
                Actions = ["rds:ModifyDBCluster", "rds:DeleteDBCluster", "rds:ModifyDBInstance", "rds:DeleteDBInstance"],
                Resources = [.. clusters, .. instances],
                Conditions = [Tool(ToolResourceTag)],
            },
            new()
            {
                // DeleteDBCluster is also authorized against a cluster-snapshot resource: the final
                // snapshot, which clones skip; were one ever named, it would be named after the clone.
                // A snapshot ARN alone lets nothing be deleted: the cluster is checked too.
                Sid = "DeleteClonesWithoutSnapshot",
                Effect = PolicyEffect.Allow,
                Actions = ["rds:DeleteDBCluster"],
                Resources = scope.ClonePrefixes.Select(p => scope.Arn("rds", $"cluster-snapshot:{p}*")).ToList(),
            },
            new()
            {
                // Security group ids are random, so EC2 is scoped by tag alone: created only with the tag…
                Sid = "CreateCloneSecurityGroups",
                Effect = PolicyEffect.Allow,
                Actions = ["ec2:CreateSecurityGroup"],
                Resources = [securityGroups],
                Conditions = [Tool(ToolRequestTag)],
            },
            new()
            {
                // …in the QA stacks' VPCs only.
                Sid = "CreateSecurityGroupsInQaVpcs",
                Effect = PolicyEffect.Allow,
                Actions = ["ec2:CreateSecurityGroup"],
                Resources = scope.VpcIds.Select(v => scope.Arn("ec2", $"vpc/{v}")).ToList(),
            },
            new()
            {
                // Tags only in the request that creates the group…
                Sid = "TagSecurityGroupsAtCreate",
                Effect = PolicyEffect.Allow,
                Actions = ["ec2:CreateTags"],
                Resources = [securityGroups],
                Conditions = [new("StringEquals", "ec2:CreateAction", ["CreateSecurityGroup"])],
            },
            new()
            {
                // …or on a group that already carries the tool's tag, never changing that tag's value.
                Sid = "RetagCloneSecurityGroups",
                Effect = PolicyEffect.Allow,
                Actions = ["ec2:CreateTags", "ec2:DeleteTags"],
                Resources = [securityGroups],
                Conditions =
                [
                    Tool(ToolResourceTag),
                    new("StringEqualsIfExists", ToolRequestTag, [ResourceTags.ToolName]),
                    new("ForAllValues:StringNotEquals", "aws:TagKeys", [ResourceTags.CreatedBy]),
                ],
            },
            new()
            {
                Sid = "ChangeAndDeleteCloneSecurityGroups",
                Effect = PolicyEffect.Allow,
                Actions =
                [
                    "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress",
                    "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress",
                    "ec2:ModifySecurityGroupRules", "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
                    "ec2:UpdateSecurityGroupRuleDescriptionsEgress", "ec2:DeleteSecurityGroup",
                ],
                Resources = [securityGroups],
                Conditions = [Tool(ToolResourceTag)],
            },
            new()
            {
                // A new rule is authorized as a security-group-rule resource as well; its group is
                // checked by the statement above.
                Sid = "AddRulesToCloneSecurityGroups",
                Effect = PolicyEffect.Allow,
                Actions = ["ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress"],
                Resources = [scope.Arn("ec2", "security-group-rule/*")],
            },
            new()
            {
                Sid = "PublishUnderSsmPrefix",
                Effect = PolicyEffect.Allow,
                Actions =
                [
                    "ssm:PutParameter", "ssm:GetParameter", "ssm:GetParameters", "ssm:DeleteParameter",
                    "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource", "ssm:ListTagsForResource",
                ],
                Resources = scope.SsmParameterPatterns.Select(p => scope.Arn("ssm", $"parameter/{p}")).ToList(),
            },
            new()
            {
                // RDS creates the clone's master-password secret (manageMasterUserPassword) with the
                // caller's permissions and names it rds!cluster-<id>.
                Sid = "CreateCloneMasterSecrets",
                Effect = PolicyEffect.Allow,
                Actions = ["secretsmanager:CreateSecret", "secretsmanager:TagResource"],
                Resources = [scope.Arn("secretsmanager", "secret:rds!cluster-*")],
            },
            new()
            {
                // Hooks read the password of the clone they run on: RDS tags the secret it manages
                // with the owning cluster's ARN, and only clones' ARNs match.
                Sid = "ReadCloneSecrets",
                Effect = PolicyEffect.Allow,
                Actions = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                Resources = [scope.Arn("secretsmanager", "secret:rds!cluster-*")],
                Conditions = [new("StringLike", $"aws:ResourceTag/{RdsSecretOwnerTag}", clusters)],
            },
            new()
            {
                // RDS checks the key that will encrypt the managed secret (the default
                // aws/secretsmanager key, or a customer key, which also needs a grant below).
                Sid = "DescribeKeysForClones",
                Effect = PolicyEffect.Allow,
                Actions = ["kms:DescribeKey"],
                Resources = [scope.Arn("kms", "key/*")],
            },
            new()
            {
                // Grants on a customer-managed key (an encrypted source's, or the secret's) only for
                // RDS and Secrets Manager acting on the role's behalf.
                Sid = "GrantKeysToRdsAndSecretsManager",
                Effect = PolicyEffect.Allow,
                Actions = ["kms:CreateGrant"],
                Resources = [scope.Arn("kms", "key/*")],
                Conditions =
                [
                    new("Bool", "kms:GrantIsForAWSResource", ["true"]),
                    new("StringEquals", "kms:ViaService", [$"rds.{scope.Region}.amazonaws.com", $"secretsmanager.{scope.Region}.amazonaws.com"]),
                ],
            },
            new()
            {
                // The first RDS resource in an account creates RDS's service-linked role.
                Sid = "CreateRdsServiceLinkedRole",
                Effect = PolicyEffect.Allow,
                Actions = ["iam:CreateServiceLinkedRole"],
                Resources = [$"arn:{scope.Partition}:iam::{scope.Account}:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS"],
                Conditions = [new("StringEquals", "iam:AWSServiceName", ["rds.amazonaws.com"])],
            },
        };

        if (scope.Pools.Count > 0)
        {
            statements.Add(new()
            {
                // Pools: a pool stack writes its members' ready records and takes refill leases; a
                // claiming stack reads the pool, takes a lease (PutParameter without overwrite: the
                // atomic step), marks the member used and ends its lease. Only under the named pools.
                Sid = "PoolLeases",
                Effect = PolicyEffect.Allow,
                Actions =
                [
                    "ssm:GetParametersByPath", "ssm:GetParameter", "ssm:GetParameters", "ssm:PutParameter", "ssm:DeleteParameter",
                    "ssm:AddTagsToResource", "ssm:ListTagsForResource",
                ],
                Resources = scope.Pools.SelectMany(p => new[]
                {
                    // GetParametersByPath is authorized on the path itself, the rest on each parameter.
                    scope.Arn("ssm", $"parameter{PoolPaths.Pool(p).TrimEnd('/')}"),
                    scope.Arn("ssm", $"parameter{PoolPaths.Pool(p)}*"),
                }).ToList(),
            });
        }

        if (scope.BastionInstanceIds.Count > 0)
        {
            statements.Add(new()
            {
                // connectionRoute ssm-port-forward: a tunnel through the configured bastions only,
                // with the port-forwarding document only.
                Sid = "PortForwardThroughBastions",
                Effect = PolicyEffect.Allow,
                Actions = ["ssm:StartSession"],
                Resources =
                [
                    .. scope.BastionInstanceIds.Select(i => scope.Arn("ec2", $"instance/{i}")),
                    $"arn:{scope.Partition}:ssm:{scope.Region}::document/AWS-StartPortForwardingSessionToRemoteHost",
                ],
            });
            statements.Add(new()
            {
                Sid = "EndOwnSessions",
                Effect = PolicyEffect.Allow,
                Actions = ["ssm:TerminateSession", "ssm:ResumeSession"],
                Resources = [scope.Arn("ssm", "session/${aws:userid}-*")],
            });
        }

        if (scope.DnsZoneIds.Count > 0)
        {
            var zones = scope.DnsZoneIds.Select(z => scope.GlobalArn("route53", $"hostedzone/{z}")).ToList();
            statements.Add(new()
            {
                // What the provider reads: aws.route53.getZone (GetHostedZone, the zone's NS records
                // and its tags), a record's own state (ListResourceRecordSets), and the change it
                // waits for to be INSYNC (GetChange). Only in the configured zones.
                Sid = "ReadDnsZones",
                Effect = PolicyEffect.Allow,
                Actions = ["route53:GetHostedZone", "route53:ListResourceRecordSets", "route53:ListTagsForResource", "route53:GetChange"],
                Resources = [.. zones, scope.GlobalArn("route53", "change/*")],
            });
            statements.Add(new()
            {
                // The environments' stable host names: CNAMEs named with a clone prefix, like every
                // identifier the role may change. Every name in the request must match (ForAllValues),
                // and the key must be there; the zone's other names, its apex and other zones stay out.
                // CREATE, UPSERT (the in-place update of a record's target) and DELETE are all needed,
                // so the actions key would narrow nothing.
                Sid = "ChangeEnvironmentHostNames",
                Effect = PolicyEffect.Allow,
                Actions = ["route53:ChangeResourceRecordSets"],
                Resources = zones,
                Conditions =
                [
                    new("ForAllValues:StringLike", RecordNamesKey, scope.ClonePrefixes.Select(p => $"{p}*").ToList()),
                    new("Null", RecordNamesKey, ["false"]),
                    new("ForAllValues:StringEquals", "route53:ChangeResourceRecordSetsRecordTypes", [Dns.HostRecordsPlan.RecordType]),
                ],
            });
        }

        statements.Add(new()
        {
            // Whatever else this role is ever given: on a source, nothing but describing it and
            // restoring from it. NotAction, so an RDS action added later is denied too.
            Sid = "DenyAllButReadAndRestoreOnSources",
            Effect = PolicyEffect.Deny,
            NotActions = ["rds:Describe*", "rds:List*", "rds:RestoreDBClusterToPointInTime"],
            Resources = sources,
        });
        statements.Add(new()
        {
            // The sources' instances have identifiers no config names, so every instance without
            // the tool's tag is protected. Creating an instance (which has no tags yet) and tagging
            // it at create stay possible, and are allowed above only under the clone prefix.
            Sid = "DenyWritesOnInstancesNotCreatedByTheTool",
            Effect = PolicyEffect.Deny,
            NotActions = ["rds:Describe*", "rds:List*", "rds:CreateDBInstance", "rds:AddTagsToResource"],
            Resources = [scope.Arn("rds", "db:*")],
            Conditions = [new("StringNotEquals", ToolResourceTag, [ResourceTags.ToolName])],
        });
        statements.Add(new()
        {
            Sid = "DenyReadingSourceSecrets",
            Effect = PolicyEffect.Deny,
            Actions = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:BatchGetSecretValue"],
            Resources = ["*"],
            Conditions = [new("StringLike", $"aws:ResourceTag/{RdsSecretOwnerTag}", sources)],
        });
        statements.Add(new()
        {
            // Clones are never publicly accessible; no request may make one so.
            Sid = "DenyPublicInstances",
            Effect = PolicyEffect.Deny,
            Actions = ["rds:CreateDBInstance"],
            Resources = ["*"],
            Conditions = [new("Bool", "rds:PubliclyAccessible", ["true"])],
        });

        return new PolicyDocument(statements);
    }

    /// <summary>
    /// The role's trust policy: Pulumi Deployments of exactly this organization and project (any of
    /// its stacks and operations), and optionally GitHub Actions pull-request workflows of one repository.
    /// </summary>
    public static PolicyDocument Trust(TrustScope trust)
    {
        var statements = new List<PolicyStatement>
        {
            new()
            {
                Sid = "PulumiDeploymentsOfTheProject",
                Effect = PolicyEffect.Allow,
                FederatedPrincipal = trust.PulumiProviderArn,
                Actions = ["sts:AssumeRoleWithWebIdentity"],
                Conditions =
                [
                    new("StringEquals", $"{PulumiIssuer}:aud", [trust.Organization]),
                    new("StringLike", $"{PulumiIssuer}:sub", [$"pulumi:deploy:org:{trust.Organization}:project:{trust.Project}:*"]),
                ],
            },
        };
        if (trust.GitHubRepository is { } repository)
        {
            statements.Add(new()
            {
                Sid = "GitHubActionsPullRequests",
                Effect = PolicyEffect.Allow,
                FederatedPrincipal = trust.GitHubProviderArn ?? throw new ArgumentException("a GitHub repository needs the GitHub OIDC provider's ARN", nameof(trust)),
                Actions = ["sts:AssumeRoleWithWebIdentity"],
                Conditions =
                [
                    new("StringEquals", $"{GitHubIssuer}:aud", [GitHubAudience]),
                    new("StringEquals", $"{GitHubIssuer}:sub", [$"repo:{repository}:pull_request"]),
                ],
            });
        }

        return new PolicyDocument(statements);
    }

    /// <summary>The ARN IAM gives an account's OIDC provider for an issuer.</summary>
    public static string OidcProviderArn(string partition, string account, string issuer) =>
        $"arn:{partition}:iam::{account}:oidc-provider/{issuer}";
}

/// <summary>Who may assume the deployer role.</summary>
/// <param name="Organization">The Pulumi organization: the token's audience and part of its subject.</param>
/// <param name="Project">The Pulumi project whose deployments may assume the role.</param>
/// <param name="PulumiProviderArn">The account's IAM OIDC provider for <c>https://api.pulumi.com/oidc</c>.</param>
/// <param name="GitHubRepository"><c>owner/repo</c> whose pull-request workflows may assume it too, or null.</param>
/// <param name="GitHubProviderArn">The account's IAM OIDC provider for GitHub Actions, when a repository is given.</param>
public sealed record TrustScope(string Organization, string Project, string PulumiProviderArn, string? GitHubRepository = null, string? GitHubProviderArn = null);
