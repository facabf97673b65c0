using System.Collections.Immutable;
using Pulumi.Testing;

namespace QaDatabases.Infra.Tests;

/// <summary>A resource the program registered, with the inputs it gave.</summary>
public sealed record RegisteredResource(string Type, string Name, ImmutableDictionary<string, object> Inputs, string? Id);

/// <summary>
/// Pulumi mocks that record every resource and invoke, answer the source cluster lookup, and give
/// each resource the outputs AWS would (endpoints, ids, the managed secret, command output).
/// </summary>
public sealed class RecordingMocks : IMocks
{
    public const string CreatedAt = "2026-11-24T10:00:00Z";

    public List<RegisteredResource> Resources { get; } = [];

    public List<(string Token, ImmutableDictionary<string, object> Args)> Calls { get; } = [];

    public string SourceEngineVersion { get; set; } = "16.4";

    /// <summary>What a mocked masking hook prints: its one summary line.</summary>
    public const string MaskingSummary = "policy masking/policy.yaml: 6 columns masked in 2 tables, 0 tables truncated, 9 kept; gate passed";

    /// <summary>The masking summary the claimed member's ready record holds.</summary>
    public const string ClaimedMasking = "policy masking/policy.yaml: 14 columns masked in 6 tables, 3 tables truncated, 88 kept; gate passed";

    /// <summary>The expiry the mocked claim command reports for its lease.</summary>
    public const string ClaimExpiresAt = "2026-11-28T07:00:00Z";

    /// <summary>The private hosted zone the tests name in <c>dnsZoneId</c>, and its name.</summary>
    public const string ZoneId = "Z0123456789ABCDEFGHIJ";

    public const string ZoneName = "qa.example.internal";

    /// <summary>Another private zone, named <see cref="OtherZoneName"/>.</summary>
    public const string OtherZoneId = "Z0OTHER0000000000000";

    public const string OtherZoneName = "other.example.internal";

    /// <summary>Whether getZone reports the zones as private hosted zones.</summary>
    public bool ZonesArePrivate { get; set; } = true;

    /// <summary>The resource id given to the last cluster registered.</summary>
    public string? ClusterResourceId { get; private set; }

    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        lock (Resources)
        {
            Resources.Add(new RegisteredResource(args.Type!, args.Name!, args.Inputs, args.Id));
        }

        var state = args.Inputs.ToBuilder();
        string id = $"{args.Name}-id";
        switch (args.Type)
        {
            case "aws:rds/cluster:Cluster":
                var identifier = (string)args.Inputs["clusterIdentifier"];
                id = identifier;
                state["endpoint"] = $"{identifier}.cluster-abc123.eu-west-1.rds.amazonaws.com";
                state["readerEndpoint"] = $"{identifier}.cluster-ro-abc123.eu-west-1.rds.amazonaws.com";
                state["port"] = 5432;
                // AWS gives every new cluster a new resource id; a restore with other inputs is a new cluster.
                ClusterResourceId = "cluster-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
                    System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new[] { "clusterIdentifier", "restoreToPointInTime", "dbSubnetGroupName" }
                        .Select(key => args.Inputs.GetValueOrDefault(key))))))[..12];
                state["clusterResourceId"] = ClusterResourceId;
                state["masterUsername"] = "postgres";
                state["masterUserSecrets"] = ImmutableArray.Create<object>(ImmutableDictionary<string, object>.Empty
                    .Add("secretArn", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-abc")
                    .Add("kmsKeyId", "key")
                    .Add("secretStatus", "active"));
                break;
            case "aws:ec2/securityGroup:SecurityGroup":
                id = "sg-0aaaabbbbccccdddd";
                break;
            case "command:local:Command" when args.Name == "claim":
                // What `qa-db pool claim` prints: the member's ready record, after whatever the build wrote.
                state["stdout"] = "Building...\n" + QaDatabases.Pool.PoolJson.Write(new QaDatabases.Pool.ClaimedMember("qa-pool", 1, new QaDatabases.Pool.MemberReady(
                    "qa-pool-m1-db", "qa-pool-m1-db.cluster-abc123.eu-west-1.rds.amazonaws.com", "qa-pool-m1-db.cluster-ro-abc123.eu-west-1.rds.amazonaws.com",
                    5432, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-m1", "postgres", "cluster-M1", "orders", "aurora-postgresql",
                    "sg-0aaaabbbbccccdddd", "prod-orders", 1, "2026-11-25T05:00:00Z", ClaimedMasking, Masked: true), ClaimExpiresAt)) + "\n";
                state["stderr"] = "";
                break;
            case "command:local:Command":
                state["stdout"] = args.Name!.EndsWith("created-at", StringComparison.Ordinal) ? CreatedAt + "\n"
                    : args.Name.EndsWith("masking", StringComparison.Ordinal) ? MaskingSummary + "\n"
                    : "1\n";
                state["stderr"] = "";
                break;
        }

        return Task.FromResult<(string?, object)>((id, state.ToImmutable()));
    }

    public Task<object> CallAsync(MockCallArgs args)
    {
        lock (Calls)
        {
            Calls.Add((args.Token!, args.Args));
        }

        return Task.FromResult<object>(args.Token switch
        {
            "aws:rds/getCluster:getCluster" => ImmutableDictionary<string, object>.Empty
                .Add("id", args.Args["clusterIdentifier"])
                .Add("clusterIdentifier", args.Args["clusterIdentifier"])
                .Add("engine", "aurora-postgresql")
                .Add("engineVersion", SourceEngineVersion)
                .Add("port", 5432)
                .Add("dbSubnetGroupName", "prod-private")
                .Add("databaseName", "orders"),
            "aws:route53/getZone:getZone" => ImmutableDictionary<string, object>.Empty
                .Add("id", args.Args["zoneId"])
                .Add("zoneId", args.Args["zoneId"])
                // As the provider reports it: without the trailing dot.
                .Add("name", (string)args.Args["zoneId"] == OtherZoneId ? OtherZoneName : ZoneName)
                .Add("privateZone", ZonesArePrivate),
            _ => throw new InvalidOperationException($"unexpected invoke {args.Token}"),
        });
    }
}
