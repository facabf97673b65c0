using System.Globalization;
using Pulumi;
using Pulumi.Aws.Ssm;
using Pulumi.Command.Local;
using QaDatabases.Capacity;
using QaDatabases.Configuration;
using QaDatabases.Dns;
using QaDatabases.Hooks;
using QaDatabases.Planning;
using QaDatabases.Pool;

namespace QaDatabases.Stacks;

/// <summary>
/// A claiming stack's environment: no cluster of its own. The "claim" command takes a free member
/// of the pool with the atomic SSM lease (and gives it back, marked used, on destroy); the smoke
/// check wakes the member and proves it answers; only then are the member's connection details
/// published under this stack's own SSM names, the same ones a fresh clone publishes, and with
/// <c>dnsZoneId</c> the stack's stable host names point at the member.
/// </summary>
internal sealed class PoolClaim : ComponentResource
{
    /// <param name="name">The component's name.</param>
    /// <param name="settings">The claiming stack's settings.</param>
    /// <param name="role">The pool to claim from.</param>
    /// <param name="region">The region the pool's state is in.</param>
    /// <param name="hostRecords">The claiming stack's stable host names, pointed at the member it holds; null for none.</param>
    /// <param name="options">The component's options.</param>
    public PoolClaim(string name, StackSettings settings, PoolRole.ClaimFrom role, string? region, HostRecordsPlan? hostRecords, ComponentResourceOptions? options = null)
        : base("qa-db:index:PoolClaim", name, options)
    {
        var holder = settings.Context.QualifiedName;
        var claim = new Command("claim", new CommandArgs
        {
            // Only a stack that allows unmasked data may be handed a member published unmasked.
            Create = PoolCommands.Claim(role.PoolStack, holder, region, settings.Expiry, settings.Masking.AllowUnmaskedData),
            Delete = PoolCommands.Release(role.PoolStack, holder, region),
        }, new CustomResourceOptions { Parent = this });
        var claimed = claim.Stdout.Apply(PoolJson.ParseClaimOutput);
        var ready = claimed.Apply(c => c.Ready);

        Member = claimed.Apply(c => c.Member);
        ClusterIdentifier = ready.Apply(r => r.ClusterIdentifier);
        Endpoint = ready.Apply(r => r.Endpoint);
        ReaderEndpoint = ready.Apply(r => r.ReaderEndpoint);
        Port = ready.Apply(r => r.Port);
        MasterUserSecretArn = ready.Apply(r => r.MasterUserSecretArn);
        DatabaseName = ready.Apply(r => r.DatabaseName);
        SecurityGroupId = ready.Apply(r => r.SecurityGroupId);
        SourceCluster = ready.Apply(r => r.SourceCluster);
        Generation = ready.Apply(r => r.Generation);
        DataTime = ready.Apply(r => r.CreatedAt);
        ExpiresAt = claimed.Apply(c => c.ExpiresAt ?? "");
        Masking = ready.Apply(r => r.Masking ?? MemberReady.UnknownMasking);

        // The claiming stack's names follow the member it holds, and the smoke check connects through them.
        Resource publishAfter = claim;
        Host = Endpoint;
        ReaderHost = ReaderEndpoint;
        if (hostRecords is not null)
        {
            var hostNames = new HostRecords("host-names", hostRecords, Endpoint, ReaderEndpoint, claim, new ComponentResourceOptions { Parent = this });
            Host = hostNames.Host;
            ReaderHost = hostNames.ReaderHost;
            publishAfter = hostNames;
        }

        if (settings.Hooks.RunsHooks)
        {
            var hooks = settings.Hooks;
            var environment = new InputMap<string>
            {
                [HookScripts.HostVariable] = Host,
                [HookScripts.PortVariable] = Port.Apply(p => p.ToString(CultureInfo.InvariantCulture)),
                [HookScripts.UserVariable] = ready.Apply(r => r.MasterUsername),
                [HookScripts.SecretArnVariable] = MasterUserSecretArn,
                [HookScripts.DatabaseVariable] = DatabaseName,
                [HookScripts.SslModeVariable] = HookScripts.AuroraSslMode,
                [HookScripts.SmokeQueryVariable] = hooks.SmokeCheckQuery,
            };
            if (hooks.BastionInstanceId is { } bastion)
            {
                environment.Add(HookScripts.BastionVariable, bastion);
                environment.Add(HookScripts.LocalPortVariable, HookScripts.LocalTunnelPort(settings.Context.Stack).ToString(CultureInfo.InvariantCulture));
            }

            // The member is paused: the first connection waits while Aurora resumes it.
            var smoke = new Command("smoke-check", new CommandArgs
            {
                Create = ready.Apply(r => HookScripts.SmokeCheck(
                    EngineSupport.FamilyOf(r.Engine) ?? throw new InvalidOperationException($"The pool member runs engine '{r.Engine}', which qa-db does not support."),
                    hooks.Route, HookScripts.ResumeConnectTimeoutSeconds)),
                Interpreter = HookScripts.Interpreter.ToList(),
                Environment = environment,
                Triggers = new InputList<object> { (Input<object>)ready.Apply(r => (object)r.ClusterResourceId), (Input<object>)Output.Create<object>(hooks.SmokeCheckQuery) },
            }, new CustomResourceOptions { Parent = this, DependsOn = { publishAfter } });
            SmokeCheckResult = smoke.Stdout.Apply(s => s.Trim());
            publishAfter = smoke;
        }
        else
        {
            SmokeCheckResult = Output.Create("not run: connectionRoute is none");
        }

        var names = new List<string>();
        foreach (var parameter in EnvironmentPlanner.PublishedParameters(settings.SsmPrefix))
        {
            names.Add(parameter.Name);
            _ = new Parameter(parameter.Name, new ParameterArgs
            {
                Name = parameter.Name,
                Type = "String",
                Value = parameter.Value switch
                {
                    PublishedValue.WriterEndpoint => Endpoint,
                    PublishedValue.ReaderEndpoint => ReaderEndpoint,
                    PublishedValue.Port => Port.Apply(p => p.ToString(CultureInfo.InvariantCulture)),
                    PublishedValue.ClusterIdentifier => ClusterIdentifier,
                    PublishedValue.MasterUserSecretArn => MasterUserSecretArn,
                    PublishedValue.Ready => ready.Apply(r => r.ClusterResourceId),
                    PublishedValue.Host => Host,
                    PublishedValue.ReaderHost => ReaderHost,
                    _ => throw new ArgumentOutOfRangeException(nameof(settings), parameter.Value, "Unknown published value."),
                },
                Description = $"{parameter.Description} (claimed from pool {role.PoolStack})",
            }, new CustomResourceOptions { Parent = this, DependsOn = { publishAfter } });
        }

        ParameterNames = names;
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["clusterIdentifier"] = ClusterIdentifier,
            ["endpoint"] = Endpoint,
            ["host"] = Host,
            ["poolMember"] = Member,
            ["smokeCheckResult"] = SmokeCheckResult,
            ["masking"] = Masking,
        });
    }

    public Output<int> Member { get; }

    /// <summary>When the claim expires (the stack's ttl from the claim, or its expiresAt), as the lease records it.</summary>
    public Output<string> ExpiresAt { get; }

    public Output<string> ClusterIdentifier { get; }

    public Output<string> Endpoint { get; }

    public Output<string> ReaderEndpoint { get; }

    /// <summary>The stable writer name pointed at the member, or the member's writer endpoint without <c>dnsZoneId</c>.</summary>
    public Output<string> Host { get; }

    /// <summary>The stable reader name, or the member's reader endpoint.</summary>
    public Output<string> ReaderHost { get; }

    public Output<int> Port { get; }

    public Output<string> MasterUserSecretArn { get; }

    public Output<string> DatabaseName { get; }

    public Output<string> SecurityGroupId { get; }

    public Output<string> SourceCluster { get; }

    public Output<int> Generation { get; }

    /// <summary>When the member was cloned: the point in time its data is from.</summary>
    public Output<string> DataTime { get; }

    public Output<string> SmokeCheckResult { get; }

    /// <summary>What masked the member, as the pool recorded it when the member's masking hook passed.</summary>
    public Output<string> Masking { get; }

    public IReadOnlyList<string> ParameterNames { get; }
}
