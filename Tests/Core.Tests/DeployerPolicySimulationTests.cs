using System.Text.Json.Nodes;
using QaDatabases.Cli;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

/// <summary>
/// The security contract of the deployer role, decided by a real IAM policy simulator
/// (@cloud-copilot/iam-simulate) over the policy `qa-db policy` prints for the shipped `qa` stack
/// (source prod-orders, VPC vpc-0a1b2c3d4e5f60718, bastion i-0fedcba9876543210, default prefixes),
/// set to claim from pool qa-pool and to write its stable host names in zone Z0123456789ABCDEFGHIJ
/// (named qa.example.internal).
/// Each row is one request AWS would authorize: what it is, the action, the resource ARN, the
/// request/resource context keys, and the decision it must get. "Denied by the Deny" rows must be
/// refused by an explicit Deny, which no other policy attached to the role can override.
/// </summary>
public class DeployerPolicySimulationTests : IClassFixture<DeployerPolicySimulationTests.Decisions>
{
    private const string Account = "123456789012";
    private const string Region = "eu-west-1";
    private const string Principal = $"arn:aws:iam::{Account}:role/qa-db-deployer";

    private static string Rds(string resource) => $"arn:aws:rds:{Region}:{Account}:{resource}";

    private static string Ec2(string resource) => $"arn:aws:ec2:{Region}:{Account}:{resource}";

    private static string Ssm(string resource) => $"arn:aws:ssm:{Region}:{Account}:{resource}";

    private static string Secret(string name) => $"arn:aws:secretsmanager:{Region}:{Account}:secret:{name}";

    private const string DnsZoneId = "Z0123456789ABCDEFGHIJ";

    private static readonly string Zone = $"arn:aws:route53:::hostedzone/{DnsZoneId}";

    /// <summary>A ChangeResourceRecordSets request's context: the names it changes (as Route 53 normalizes them), their types, its actions.</summary>
    private static Dictionary<string, object> RecordChange(string[] names, string type = "CNAME", string action = "CREATE") => new()
    {
        ["route53:ChangeResourceRecordSetsNormalizedRecordNames"] = names,
        ["route53:ChangeResourceRecordSetsRecordTypes"] = new[] { type },
        ["route53:ChangeResourceRecordSetsActions"] = new[] { action },
    };

    private static readonly string Clone = Rds("cluster:qadb-pr-123");
    private static readonly string CloneInstance = Rds("db:qadb-pr-123-1");
    private static readonly string Source = Rds("cluster:prod-orders");
    private static readonly string SourceInstance = Rds("db:prod-orders-instance-1");
    private static readonly string OtherCluster = Rds("cluster:billing-db");
    private static readonly string ForeignPrefixedCluster = Rds("cluster:qadb-someone-elses");
    private static readonly string CloneGroup = Ec2("security-group/sg-0c10e0000000000a1");
    private static readonly string OtherGroup = Ec2("security-group/sg-0f0e0000000000b2");

    private const string Tool = "qa-databases";

    // Context: the tool's tag in the request (create) or on the resource (change, delete).
    private static readonly Dictionary<string, object> None = [];
    private static readonly Dictionary<string, object> RequestTagged = new() { ["aws:RequestTag/qa-db:created-by"] = Tool, ["aws:TagKeys"] = new[] { "qa-db:created-by", "qa-db:stack" } };
    private static readonly Dictionary<string, object> Tagged = new() { ["aws:ResourceTag/qa-db:created-by"] = Tool };

    private static Dictionary<string, object> With(Dictionary<string, object> context, string key, object value) => new(context) { [key] = value };

    /// <summary>KMS also needs the key's own policy: the default one, which delegates to IAM.</summary>
    private static readonly JsonNode DefaultKeyPolicy = JsonNode.Parse($$"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"kms:*","Resource":"*"}]}
        """)!;

    public enum Expect
    {
        Allowed,
        Denied,
        DeniedByTheDeny,
    }

    public sealed record Row(Expect Expected, string What, string Action, string Resource, Dictionary<string, object> Context, JsonNode? ResourcePolicy = null);

    public static readonly Row[] Table =
    [
        // ---- a clone's life: restore, instance, modify, delete --------------------------------------------------------
        new(Expect.Allowed, "restore a clone under the prefix with the tool's tag", "rds:RestoreDBClusterToPointInTime", Clone, RequestTagged),
        new(Expect.Allowed, "restore, as authorized against the source it restores from", "rds:RestoreDBClusterToPointInTime", Source, RequestTagged),
        new(Expect.Allowed, "restore, as authorized against the subnet group it names", "rds:RestoreDBClusterToPointInTime", Rds("subgrp:prod-private"), RequestTagged),
        new(Expect.Allowed, "restore, as authorized against the cluster parameter group", "rds:RestoreDBClusterToPointInTime", Rds("cluster-pg:default.aurora-postgresql16"), RequestTagged),
        new(Expect.Denied, "restore a clone without the tool's tag", "rds:RestoreDBClusterToPointInTime", Clone, None),
        new(Expect.Denied, "restore into a name outside the prefix", "rds:RestoreDBClusterToPointInTime", OtherCluster, RequestTagged),
        new(Expect.Allowed, "tag the new clone in its create request", "rds:AddTagsToResource", Clone, RequestTagged),
        new(Expect.Allowed, "create the clone's instance with the tool's tag", "rds:CreateDBInstance", CloneInstance, RequestTagged),
        new(Expect.Allowed, "create the instance, as authorized against the clone it joins", "rds:CreateDBInstance", Clone, RequestTagged),
        new(Expect.Denied, "create an instance without the tool's tag", "rds:CreateDBInstance", CloneInstance, None),
        new(Expect.DeniedByTheDeny, "create a publicly accessible instance", "rds:CreateDBInstance", CloneInstance, With(RequestTagged, "rds:PubliclyAccessible", "true")),
        new(Expect.Allowed, "modify the clone (Serverless v2 scaling, managed password)", "rds:ModifyDBCluster", Clone, Tagged),
        new(Expect.Allowed, "modify the clone's instance", "rds:ModifyDBInstance", CloneInstance, Tagged),
        new(Expect.Allowed, "delete the clone's instance", "rds:DeleteDBInstance", CloneInstance, Tagged),
        new(Expect.Allowed, "delete the clone", "rds:DeleteDBCluster", Clone, Tagged),
        new(Expect.Allowed, "delete the clone, as authorized against its (skipped) final snapshot", "rds:DeleteDBCluster", Rds("cluster-snapshot:qadb-pr-123-final"), None),
        new(Expect.Allowed, "remove a tag other than the ownership tag from the clone", "rds:RemoveTagsFromResource", Clone, With(Tagged, "aws:TagKeys", new[] { "qa-db:owner" })),
        new(Expect.Denied, "remove the ownership tag from the clone", "rds:RemoveTagsFromResource", Clone, With(Tagged, "aws:TagKeys", new[] { "qa-db:created-by" })),

        // ---- the source: read and restore from, nothing else -----------------------------------------------------------
        new(Expect.Allowed, "describe the source", "rds:DescribeDBClusters", Source, None),
        new(Expect.DeniedByTheDeny, "modify the source", "rds:ModifyDBCluster", Source, None),
        new(Expect.DeniedByTheDeny, "delete the source", "rds:DeleteDBCluster", Source, None),
        new(Expect.DeniedByTheDeny, "modify the source tagged as if it were ours", "rds:ModifyDBCluster", Source, Tagged),
        new(Expect.DeniedByTheDeny, "delete the source tagged as if it were ours", "rds:DeleteDBCluster", Source, Tagged),
        new(Expect.DeniedByTheDeny, "tag the source with the tool's tag (adoption)", "rds:AddTagsToResource", Source, RequestTagged),
        new(Expect.DeniedByTheDeny, "remove tags from the source", "rds:RemoveTagsFromResource", Source, With(None, "aws:TagKeys", new[] { "owner" })),
        new(Expect.DeniedByTheDeny, "add an instance to the source", "rds:CreateDBInstance", Source, RequestTagged),
        new(Expect.DeniedByTheDeny, "snapshot the source", "rds:CreateDBClusterSnapshot", Source, RequestTagged),
        new(Expect.DeniedByTheDeny, "stop the source", "rds:StopDBCluster", Source, None),
        new(Expect.DeniedByTheDeny, "delete one of the source's instances", "rds:DeleteDBInstance", SourceInstance, None),
        new(Expect.DeniedByTheDeny, "reboot one of the source's instances", "rds:RebootDBInstance", SourceInstance, None),
        new(Expect.Denied, "delete a source instance tagged as if it were ours", "rds:DeleteDBInstance", SourceInstance, Tagged),
        new(Expect.Denied, "tag one of the source's instances", "rds:AddTagsToResource", SourceInstance, RequestTagged),

        // ---- other clusters: untagged, or named like a clone but not the tool's -------------------------------------
        new(Expect.Denied, "modify an untagged cluster outside the prefix", "rds:ModifyDBCluster", OtherCluster, None),
        new(Expect.Denied, "delete an untagged cluster outside the prefix", "rds:DeleteDBCluster", OtherCluster, None),
        new(Expect.Denied, "delete a cluster outside the prefix tagged as ours", "rds:DeleteDBCluster", OtherCluster, Tagged),
        new(Expect.Denied, "tag a cluster outside the prefix (adoption)", "rds:AddTagsToResource", OtherCluster, RequestTagged),
        new(Expect.Denied, "delete an untagged cluster named with the prefix", "rds:DeleteDBCluster", ForeignPrefixedCluster, None),
        new(Expect.Denied, "modify an untagged cluster named with the prefix", "rds:ModifyDBCluster", ForeignPrefixedCluster, None),

        // ---- security groups: tag-scoped -------------------------------------------------------------------------------
        new(Expect.Allowed, "create a security group with the tool's tag", "ec2:CreateSecurityGroup", CloneGroup, RequestTagged),
        new(Expect.Allowed, "create it in the QA stack's VPC", "ec2:CreateSecurityGroup", Ec2("vpc/vpc-0a1b2c3d4e5f60718"), RequestTagged),
        new(Expect.Denied, "create a security group in another VPC", "ec2:CreateSecurityGroup", Ec2("vpc/vpc-0ffff0000eeee1111"), RequestTagged),
        new(Expect.Denied, "create a security group without the tool's tag", "ec2:CreateSecurityGroup", CloneGroup, None),
        new(Expect.Allowed, "tag the security group in its create request", "ec2:CreateTags", CloneGroup, With(RequestTagged, "ec2:CreateAction", "CreateSecurityGroup")),
        new(Expect.Denied, "tag someone else's security group with the tool's tag (adoption)", "ec2:CreateTags", OtherGroup, RequestTagged),
        new(Expect.Allowed, "update a tag on the clone's security group", "ec2:CreateTags", CloneGroup, With(Tagged, "aws:TagKeys", new[] { "qa-db:expires-at" })),
        new(Expect.Denied, "remove the ownership tag from the clone's security group", "ec2:DeleteTags", CloneGroup, With(Tagged, "aws:TagKeys", new[] { "qa-db:created-by" })),
        new(Expect.Allowed, "add an ingress rule to the clone's security group", "ec2:AuthorizeSecurityGroupIngress", CloneGroup, Tagged),
        new(Expect.Allowed, "add an ingress rule, as authorized against the new rule", "ec2:AuthorizeSecurityGroupIngress", Ec2("security-group-rule/sgr-0a1b2c3d4e5f60718"), None),
        new(Expect.Allowed, "revoke the default egress of the clone's security group", "ec2:RevokeSecurityGroupEgress", CloneGroup, Tagged),
        new(Expect.Allowed, "delete the clone's security group", "ec2:DeleteSecurityGroup", CloneGroup, Tagged),
        new(Expect.Denied, "open someone else's security group", "ec2:AuthorizeSecurityGroupIngress", OtherGroup, None),
        new(Expect.Denied, "delete someone else's security group", "ec2:DeleteSecurityGroup", OtherGroup, None),

        // ---- secrets: the clone's own, never the source's --------------------------------------------------------------
        new(Expect.Allowed, "read the clone's managed master secret", "secretsmanager:GetSecretValue", Secret("rds!cluster-0b1c2d3e-aaaa-bbbb-cccc-0123456789ab-AbCdEf"),
            new() { ["aws:ResourceTag/aws:rds:primaryDBClusterArn"] = Clone }),
        new(Expect.DeniedByTheDeny, "read the source's managed master secret", "secretsmanager:GetSecretValue", Secret("rds!cluster-9f8e7d6c-aaaa-bbbb-cccc-0123456789ab-ZyXwVu"),
            new() { ["aws:ResourceTag/aws:rds:primaryDBClusterArn"] = Source }),
        new(Expect.Denied, "read a secret of a cluster outside the prefix", "secretsmanager:GetSecretValue", Secret("rds!cluster-11111111-aaaa-bbbb-cccc-0123456789ab-QwErTy"),
            new() { ["aws:ResourceTag/aws:rds:primaryDBClusterArn"] = OtherCluster }),
        new(Expect.Denied, "read a secret RDS does not manage", "secretsmanager:GetSecretValue", Secret("prod/orders/admin-AbCdEf"), None),
        new(Expect.Allowed, "let RDS create the clone's managed secret", "secretsmanager:CreateSecret", Secret("rds!cluster-0b1c2d3e-aaaa-bbbb-cccc-0123456789ab-AbCdEf"), None),
        new(Expect.Allowed, "let RDS check the key of the clone's secret", "kms:DescribeKey", $"arn:aws:kms:{Region}:{Account}:key/1234abcd-12ab-34cd-56ef-1234567890ab", None, DefaultKeyPolicy),
        new(Expect.Allowed, "let RDS grant itself the source's customer key", "kms:CreateGrant", $"arn:aws:kms:{Region}:{Account}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            new() { ["kms:GrantIsForAWSResource"] = "true", ["kms:ViaService"] = $"rds.{Region}.amazonaws.com" }, DefaultKeyPolicy),
        new(Expect.Denied, "grant a customer key outside RDS and Secrets Manager", "kms:CreateGrant", $"arn:aws:kms:{Region}:{Account}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            new() { ["kms:GrantIsForAWSResource"] = "false" }, DefaultKeyPolicy),
        new(Expect.Allowed, "create RDS's service-linked role", "iam:CreateServiceLinkedRole", $"arn:aws:iam::{Account}:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS",
            new() { ["iam:AWSServiceName"] = "rds.amazonaws.com" }),
        new(Expect.Denied, "create another service's service-linked role", "iam:CreateServiceLinkedRole", $"arn:aws:iam::{Account}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
            new() { ["iam:AWSServiceName"] = "ecs.amazonaws.com" }),

        // ---- SSM: parameters under the prefix, sessions through the bastion ----------------------------------------
        new(Expect.Allowed, "publish the clone's endpoint under /qa/<stack>/db/", "ssm:PutParameter", Ssm("parameter/qa/pr-123/db/endpoint"), None),
        new(Expect.Allowed, "remove a published parameter", "ssm:DeleteParameter", Ssm("parameter/qa/pr-123/db/endpoint"), None),
        new(Expect.Denied, "write a parameter outside the prefix", "ssm:PutParameter", Ssm("parameter/prod/orders/database-url"), None),
        new(Expect.Denied, "read a parameter outside the prefix", "ssm:GetParameter", Ssm("parameter/prod/orders/database-url"), None),
        new(Expect.Denied, "delete a parameter outside the prefix", "ssm:DeleteParameter", Ssm("parameter/prod/orders/database-url"), None),
        new(Expect.Allowed, "read the pool's members by path (claim)", "ssm:GetParametersByPath", Ssm("parameter/qa-db/pools/qa-pool"), None),
        new(Expect.Allowed, "take a lease on a pool member (claim)", "ssm:PutParameter", Ssm("parameter/qa-db/pools/qa-pool/members/1/lease"), None),
        new(Expect.Allowed, "end a lease on a pool member (release)", "ssm:DeleteParameter", Ssm("parameter/qa-db/pools/qa-pool/members/1/lease"), None),
        new(Expect.Denied, "take a lease in a pool no QA stack uses", "ssm:PutParameter", Ssm("parameter/qa-db/pools/other-team-pool/members/1/lease"), None),
        new(Expect.Allowed, "open a port forward through the configured bastion", "ssm:StartSession", Ec2("instance/i-0fedcba9876543210"), None),
        new(Expect.Denied, "open a session on another instance", "ssm:StartSession", Ec2("instance/i-0123456789abcdef0"), None),
        new(Expect.Allowed, "end its own port-forward session", "ssm:TerminateSession", Ssm("session/AROAEXAMPLEID:pulumi-deployments-0a1b2c3d4e5f60718"),
            new() { ["aws:userid"] = "AROAEXAMPLEID:pulumi-deployments" }),
        new(Expect.Denied, "end someone else's session", "ssm:TerminateSession", Ssm("session/AIDAOTHERUSER-0a1b2c3d4e5f60718"),
            new() { ["aws:userid"] = "AROAEXAMPLEID:pulumi-deployments" }),

        // ---- Route 53: the environments' stable host names, nothing else in the zone ----------------------------------
        new(Expect.Allowed, "create an environment's stable host name", "route53:ChangeResourceRecordSets", Zone, RecordChange(["qadb-pr-123.qa.example.internal"])),
        new(Expect.Allowed, "point an environment's names at its new clone (in-place upsert)", "route53:ChangeResourceRecordSets", Zone,
            RecordChange(["qadb-pr-123.qa.example.internal", "qadb-pr-123-ro.qa.example.internal"], action: "UPSERT")),
        new(Expect.Allowed, "delete an environment's reader name", "route53:ChangeResourceRecordSets", Zone, RecordChange(["qadb-pr-123-ro.qa.example.internal"], action: "DELETE")),
        new(Expect.Denied, "change another name in the zone", "route53:ChangeResourceRecordSets", Zone, RecordChange(["orders.qa.example.internal"], action: "UPSERT")),
        new(Expect.Denied, "change the zone apex", "route53:ChangeResourceRecordSets", Zone, RecordChange(["qa.example.internal"], action: "UPSERT")),
        new(Expect.Denied, "change a name that merely contains the prefix", "route53:ChangeResourceRecordSets", Zone, RecordChange(["app-qadb-pr-123.qa.example.internal"])),
        new(Expect.Denied, "slip another name into a change of an environment's", "route53:ChangeResourceRecordSets", Zone,
            RecordChange(["qadb-pr-123.qa.example.internal", "orders.qa.example.internal"], action: "UPSERT")),
        new(Expect.Denied, "write an environment's name as another record type", "route53:ChangeResourceRecordSets", Zone, RecordChange(["qadb-pr-123.qa.example.internal"], type: "TXT")),
        new(Expect.Denied, "change records without saying which names", "route53:ChangeResourceRecordSets", Zone,
            new() { ["route53:ChangeResourceRecordSetsRecordTypes"] = new[] { "CNAME" }, ["route53:ChangeResourceRecordSetsActions"] = new[] { "CREATE" } }),
        new(Expect.Denied, "write an environment's name in another zone", "route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/Z9OTHERZONE0000000000",
            RecordChange(["qadb-pr-123.prod.example.internal"])),
        new(Expect.Allowed, "look the zone up by id (getZone)", "route53:GetHostedZone", Zone, None),
        new(Expect.Allowed, "read a record's state", "route53:ListResourceRecordSets", Zone, None),
        new(Expect.Allowed, "wait for a record change to be in sync", "route53:GetChange", "arn:aws:route53:::change/C2682N5HXP0BZ4", None),
        new(Expect.Denied, "list the records of another zone", "route53:ListResourceRecordSets", "arn:aws:route53:::hostedzone/Z9OTHERZONE0000000000", None),
    ];

    public static TheoryData<string> Requests() => new(Table.Select(r => r.What));

    private readonly Decisions _decisions;

    public DeployerPolicySimulationTests(Decisions decisions) => _decisions = decisions;

    [Theory]
    [MemberData(nameof(Requests))]
    public void Each_request_gets_the_contracted_decision_with_the_account_pinned(string what) =>
        AssertDecision(what, _decisions.Pinned);

    [Theory]
    [MemberData(nameof(Requests))]
    public void Each_request_gets_the_same_decision_when_no_account_is_given(string what) =>
        AssertDecision(what, _decisions.AnyAccount);

    [Fact]
    public void The_table_covers_every_statement_of_the_policy()
    {
        // A statement no row exercises could be widened without any row noticing.
        var sids = System.Text.Json.JsonDocument.Parse(_decisions.PinnedPolicy).RootElement.GetProperty("Statement")
            .EnumerateArray().Select(s => s.GetProperty("Sid").GetString()!).ToList();
        var untested = sids.Except(_decisions.SidsExercised, StringComparer.Ordinal).ToList();

        Assert.Empty(untested);
    }

    private static void AssertDecision(string what, IReadOnlyDictionary<string, SimulatedDecision> decisions)
    {
        var row = Table.Single(r => r.What == what);
        var decision = decisions[what];
        Assert.Null(decision.Error);

        // A context key the simulator ignores would make the row test less than it says.
        Assert.Empty(decision.IgnoredContextKeys);
        switch (row.Expected)
        {
            case Expect.Allowed:
                Assert.Equal("Allowed", decision.Decision);
                break;
            case Expect.Denied:
                Assert.Contains(decision.Decision, new[] { "ImplicitlyDenied", "ExplicitlyDenied" });
                break;
            case Expect.DeniedByTheDeny:
                Assert.Equal("ExplicitlyDenied", decision.Decision);
                break;
        }
    }

    /// <summary>Runs the whole table once per policy (one node process each).</summary>
    public sealed class Decisions : IAsyncLifetime
    {
        public IReadOnlyDictionary<string, SimulatedDecision> Pinned { get; private set; } = new Dictionary<string, SimulatedDecision>();

        public IReadOnlyDictionary<string, SimulatedDecision> AnyAccount { get; private set; } = new Dictionary<string, SimulatedDecision>();

        public string PinnedPolicy { get; private set; } = "";

        public IReadOnlySet<string> SidsExercised { get; private set; } = new HashSet<string>();

        public async Task InitializeAsync()
        {
            PinnedPolicy = await PolicyAsync("--account", Account);
            Pinned = await EvaluateAsync(PinnedPolicy);
            AnyAccount = await EvaluateAsync(await PolicyAsync());
            SidsExercised = await ExercisedSidsAsync(PinnedPolicy);
        }

        public Task DisposeAsync() => Task.CompletedTask;

        /// <summary>
        /// The shipped project with the `qa` stack claiming from pool `qa-pool` (what a team that runs
        /// a pool sets in its template) and writing stable host names in a zone, so the pool lease and
        /// the Route 53 rows have statements to test.
        /// </summary>
        private static readonly Lazy<string> ProjectWithPool = new(() =>
        {
            var dir = Directory.CreateTempSubdirectory("qa-db-policy-").FullName;
            File.Copy(Repo.PathOf("Pulumi.yaml"), Path.Combine(dir, "Pulumi.yaml"));
            File.WriteAllText(Path.Combine(dir, "Pulumi.qa.yaml"), File.ReadAllText(Repo.PathOf("Pulumi.qa.yaml")).TrimEnd() + $"\n  qa-db:pool: qa-pool\n  qa-db:dnsZoneId: {DnsZoneId}\n");
            foreach (var file in Directory.EnumerateFiles(Repo.PathOf("masking"), "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(dir, Path.GetRelativePath(Repo.Root, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            return dir;
        });

        private static async Task<string> PolicyAsync(params string[] extra)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var exit = await QaDbCli.RunAsync(["policy", "--stack", "qa", "--dir", ProjectWithPool.Value, .. extra], stdout, stderr);
            return exit == 0 ? stdout.ToString() : throw new InvalidOperationException($"qa-db policy exited {exit}: {stderr}");
        }

        private static async Task<IReadOnlyDictionary<string, SimulatedDecision>> EvaluateAsync(string policy)
        {
            var requests = Table.Select(r => new SimulatedRequest(r.What, r.Action, r.Resource, r.Context, r.ResourcePolicy)).ToList();
            var decisions = await PolicySimulator.EvaluateAsync(Principal, policy, requests);
            return decisions.ToDictionary(d => d.Id, StringComparer.Ordinal);
        }

        /// <summary>
        /// Which statements decide some row: each statement is taken out in turn, and it counts as
        /// exercised when some row's decision changes without it.
        /// </summary>
        private async Task<IReadOnlySet<string>> ExercisedSidsAsync(string policy)
        {
            var document = JsonNode.Parse(policy)!;
            var statements = document["Statement"]!.AsArray();
            var exercised = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < statements.Count; i++)
            {
                var without = document.DeepClone();
                var sid = without["Statement"]![i]!["Sid"]!.GetValue<string>();
                without["Statement"]!.AsArray().RemoveAt(i);
                var decisions = await EvaluateAsync(without.ToJsonString());
                if (decisions.Any(d => d.Value.Decision != Pinned[d.Key].Decision))
                {
                    exercised.Add(sid);
                }
            }

            return exercised;
        }
    }
}
