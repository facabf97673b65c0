using System.Text.Json;

namespace QaDatabases.Infra.Tests;

/// <summary>
/// Which config changes replace which resources, and that every replacement can succeed: a resource
/// with a fixed physical name is either deleted before its replacement is created, or its replacement
/// gets another name (or, for a security group, lands in another VPC, where the name is free).
/// </summary>
public class ReplacementTests
{
    private const string Cluster = "aws:rds/cluster:Cluster";
    private const string Instance = "aws:rds/clusterInstance:ClusterInstance";
    private const string SecurityGroup = "aws:ec2/securityGroup:SecurityGroup";
    private const string Command = "command:local:Command";
    private const string Parameter = "aws:ssm/parameter:Parameter";
    private const string Record = "aws:route53/record:Record";

    /// <summary>
    /// The inputs we set that the providers cannot update in place: ForceNew arguments in pulumi-aws's
    /// schema, and pulumi-command's one replaceOnChanges input. Any other input change is an update.
    /// </summary>
    private static readonly Dictionary<string, string[]> ReplacingInputs = new()
    {
        [Cluster] = ["clusterIdentifier", "restoreToPointInTime", "dbSubnetGroupName", "engine"],
        [Instance] = ["identifier", "clusterIdentifier", "engine"],
        [SecurityGroup] = ["name", "description", "vpcId"],
        [Parameter] = ["name"],
        // aws_route53_record: name and zone_id are ForceNew; a new target (records) is an UPSERT in place.
        [Record] = ["name", "zoneId"],
        [Command] = ["triggers"],
    };

    /// <summary>The input that holds a resource's name in AWS, where two resources cannot share one.</summary>
    private static readonly Dictionary<string, string> PhysicalName = new()
    {
        [Cluster] = "clusterIdentifier",
        [Instance] = "identifier",
        [SecurityGroup] = "name",
        [Parameter] = "name",
        [Record] = "name",
    };

    /// <summary>Hooks and stable host names, so every row also says what happens to the records.</summary>
    private static readonly (string Key, string Value)[] Hooks =
        [("connectionRoute", "direct"), ("maskingScripts", "[\"masking/postgres/01-mask-personal-data.sql\"]"), ("dnsZoneId", RecordingMocks.ZoneId)];

    public static TheoryData<string, string[]> Changes => new()
    {
        // the config change ("key=value", several separated by ';'), the resources it replaces
        { "owner=team-billing", [] },
        { "cloneGeneration=2", ["cluster", "instance", "masking", "smoke-check"] },
        // Same identifier, new data: Pulumi also replaces the instance, a dependent of a
        // delete-before-replace cluster; the mocks see only the inputs, which are unchanged.
        { $"restoreTime={Yesterday()}", ["cluster", "masking", "smoke-check"] },
        { "sourceCluster=prod-billing", ["cluster", "masking", "smoke-check"] },
        { "dbSubnetGroupName=qa-subnets", ["cluster", "masking", "smoke-check"] },
        // A clone moves VPC with its subnet group; the new group takes the same name in the new VPC.
        { "vpcId=vpc-0ffffffffffffffff;dbSubnetGroupName=qa-other-vpc", ["access", "cluster", "masking", "smoke-check"] },
        { "smokeCheckQuery=SELECT count(*) FROM customers", ["smoke-check"] },
        // Another policy (its fingerprint is a trigger) masks the same clone again, then smoke-checks it.
        { "maskingPolicy=Tests/Infra.Tests/Fixtures/hashing-policy.yaml;maskingSalt=a-salt-of-more-than-16-characters", ["masking", "smoke-check"] },
        { "allowedCidrs=[\"10.50.0.0/16\"]", [] },
        { "instanceClass=db.t4g.medium", [] },
        { "ttl=24h", [] },
        // A new prefix renames every parameter: new resources are created, then the old ones deleted.
        { "ssmPrefix=/qa/elsewhere/", [] },
        // The names move to the other zone's domain: created there first, then the old ones deleted.
        { $"dnsZoneId={RecordingMocks.OtherZoneId}", ["host", "reader-host"] },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task A_config_change_replaces_only_what_it_must_and_every_replacement_can_succeed(string change, string[] expected)
    {
        var changes = change.Split(';').Select(c => c.Split('=', 2)).Select(kv => (kv[0], kv[1]));
        var before = await ProgramRun.UpAsync(ProgramRun.Config(Hooks));
        var after = await ProgramRun.UpAsync(ProgramRun.Config([.. Hooks, .. changes]));

        var replaced = new List<string>();
        foreach (var old in before.Mocks.Resources.Where(r => ReplacingInputs.ContainsKey(r.Type)))
        {
            var next = after.Mocks.Resources.SingleOrDefault(r => r.Type == old.Type && r.Name == old.Name);
            if (next is null || ReplacingInputs[old.Type].All(input => SameInput(old, next, input)))
            {
                continue;
            }

            replaced.Add(old.Name);
            var deletedFirst = after.OptionsOf(old.Type, old.Name).Custom.DeleteBeforeReplace == true;
            var renamed = PhysicalName.TryGetValue(old.Type, out var nameInput) && !SameInput(old, next, nameInput);
            var otherVpc = old.Type == SecurityGroup && !SameInput(old, next, "vpcId");
            var unnamed = !PhysicalName.ContainsKey(old.Type);
            Assert.True(deletedFirst || renamed || otherVpc || unnamed,
                $"{old.Type} {old.Name} is replaced create-first under the same name on {change}; AWS would refuse the second one");
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), replaced.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_second_up_with_unchanged_config_declares_every_resource_with_the_same_inputs()
    {
        // The masking hook with a policy that hashes: its script, triggers and (secret) environment too.
        var config = ProgramRun.Config([.. Hooks, ("maskingPolicy", "Tests/Infra.Tests/Fixtures/hashing-policy.yaml"), ("maskingSalt", "a-salt-of-more-than-16-characters")]);

        var first = await ProgramRun.UpAsync(config);
        var second = await ProgramRun.UpAsync(config);

        static IEnumerable<string> Declared(ProgramRun run) =>
            run.Mocks.Resources.Select(r => $"{r.Type} {r.Name} {JsonSerializer.Serialize(r.Inputs.OrderBy(i => i.Key, StringComparer.Ordinal))}").Order(StringComparer.Ordinal);
        Assert.Contains(first.Mocks.Resources, r => r.Name == "masking");
        Assert.Equal(Declared(first), Declared(second));
    }

    /// <summary>A restore time inside the 35-day window whenever the tests run.</summary>
    private static string Yesterday() =>
        DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd'T'HH:00:00'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static bool SameInput(RegisteredResource a, RegisteredResource b, string input) =>
        JsonSerializer.Serialize(a.Inputs.GetValueOrDefault(input)) == JsonSerializer.Serialize(b.Inputs.GetValueOrDefault(input));
}
