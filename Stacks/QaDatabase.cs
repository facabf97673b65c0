using System.Globalization;
using Pulumi;
using Pulumi.Aws.Ec2;
using Pulumi.Aws.Ec2.Inputs;
using Pulumi.Aws.Rds;
using Pulumi.Aws.Rds.Inputs;
using Pulumi.Aws.Ssm;
using Pulumi.Command.Local;
using QaDatabases.Capacity;
using QaDatabases.Configuration;
using QaDatabases.Expiry;
using QaDatabases.Hooks;
using QaDatabases.Planning;
using QaDatabases.Tagging;

namespace QaDatabases.Stacks;

/// <summary>
/// One QA environment: a copy-on-write clone of the source cluster, its instance, the security
/// group that admits only the configured clients, the post-clone hooks, and the SSM parameters
/// that publish it. Every value comes from the <see cref="EnvironmentPlan"/>; this class only
/// declares. The source cluster is never a resource here: it is named only by identifier in the
/// restore block, so no option of this stack can modify or delete it.
/// </summary>
internal sealed class QaDatabase : ComponentResource
{
    /// <param name="name">The component's name.</param>
    /// <param name="args">What to declare: the plan, and how this clone differs from an ordinary stack's.</param>
    /// <param name="options">The component's options.</param>
    public QaDatabase(string name, QaDatabaseArgs args, ComponentResourceOptions? options = null)
        : base("qa-db:index:QaDatabase", name, options)
    {
        var plan = args.Plan;
        _childPrefix = args.ChildPrefix;
        _maskingSalt = args.MaskingSalt;
        var expiry = plan.Settings.Expiry;

        // The creation time is recorded once, by a command with no triggers, so the expiry tag stays
        // the same on every later `pulumi up` instead of sliding forward (and diffing every resource).
        var createdAtArgs = new CommandArgs { Create = ExpiryPolicy.CreatedAtCommand };
        if (args.RecordCreationPerClone)
        {
            createdAtArgs.Triggers = new InputList<object> { (Input<object>)Output.Create<object>(plan.Settings.CloneGeneration) };
        }

        var createdAt = new Command(_childPrefix + "created-at", createdAtArgs, new CustomResourceOptions { Parent = this });
        CreatedAt = createdAt.Stdout.Apply(s => s.Trim());
        ExpiresAt = createdAt.Stdout.Apply(expiry.ExpiresAtTag);

        var tags = new InputMap<string>();
        foreach (var (key, value) in plan.Tags)
        {
            tags.Add(key, value);
        }

        tags.Add(ResourceTags.ExpiresAt, ExpiresAt);

        var securityGroup = DeclareSecurityGroup(plan.SecurityGroup, tags);
        SecurityGroupId = securityGroup.Id;

        var cluster = DeclareCluster(plan, securityGroup, tags, args.ClusterDependsOn);
        ClusterIdentifier = cluster.ClusterIdentifier;
        ClusterResourceId = cluster.ClusterResourceId;
        MasterUsername = cluster.MasterUsername;
        Endpoint = cluster.Endpoint;
        ReaderEndpoint = cluster.ReaderEndpoint;
        Port = cluster.Port;
        _portText = cluster.Port.Apply(p => p.ToString(CultureInfo.InvariantCulture));
        MasterUserSecretArn = Output.Tuple(cluster.ClusterIdentifier, cluster.MasterUserSecrets).Apply(
            t => ClusterPlan.MasterUserSecretArn(t.Item1, t.Item2.Select(secret => secret.SecretArn)));

        // The instance depends on the cluster alone: nothing else sits between them.
        var instance = new ClusterInstance(_childPrefix + "instance", new ClusterInstanceArgs
        {
            Identifier = plan.Instance.Identifier,
            ClusterIdentifier = cluster.Id,
            InstanceClass = plan.Instance.InstanceClass,
            Engine = plan.Engine == EngineFamily.PostgreSql ? EngineType.AuroraPostgresql : EngineType.AuroraMysql,
            PubliclyAccessible = InstancePlan.PubliclyAccessible,
            ApplyImmediately = ClusterPlan.ApplyImmediately,
            Tags = tags,
        }, new CustomResourceOptions { Parent = this, DeleteBeforeReplace = true });

        // Hooks run after the instance is available; the endpoint is published only after they pass.
        Resource publishAfter = instance;
        Output<string>? smokeResult = null;
        if (plan.Masking is { } masking)
        {
            var maskingHook = DeclareHook(masking, plan, cluster, cluster.Endpoint, publishAfter);
            // The hook's stdout is its one summary line. Unsecret: it names tables and counts, never
            // a value, though the hook's environment holds the salt.
            Masking = Output.Unsecret(maskingHook.Stdout).Apply(s => s.Trim());
            publishAfter = maskingHook;
        }
        else
        {
            Masking = Output.Create(MaskingSettings.UnmaskedSummary);
        }

        // The stable host names are written once the data is masked, and the smoke check connects
        // through them: it proves the name resolves and reaches this clone before SSM publishes it.
        Host = cluster.Endpoint;
        ReaderHost = cluster.ReaderEndpoint;
        if (plan.HostRecords is { } records)
        {
            var names = new HostRecords(_childPrefix + "host-names", records, cluster.Endpoint, cluster.ReaderEndpoint, publishAfter, new ComponentResourceOptions { Parent = this });
            Host = names.Host;
            ReaderHost = names.ReaderHost;
            publishAfter = names;
        }

        if (plan.SmokeCheck is { } smokeCheck)
        {
            var smoke = DeclareHook(smokeCheck, plan, cluster, Host, publishAfter);
            smokeResult = smoke.Stdout.Apply(s => s.Trim());
            publishAfter = smoke;
        }

        SmokeCheckResult = smokeResult ?? Output.Create("not run: connectionRoute is none");
        PublishedAfter = publishAfter;

        foreach (var parameter in plan.Parameters)
        {
            _ = new Parameter(parameter.Name, new ParameterArgs
            {
                Name = parameter.Name,
                Type = "String",
                Value = ValueOf(parameter.Value, cluster),
                Description = parameter.Description,
                Tags = tags,
            }, new CustomResourceOptions { Parent = this, DependsOn = { publishAfter } });
        }

        RegisterOutputs(new Dictionary<string, object?>
        {
            ["clusterIdentifier"] = ClusterIdentifier,
            ["endpoint"] = Endpoint,
            ["readerEndpoint"] = ReaderEndpoint,
            ["host"] = Host,
            ["port"] = Port,
            ["securityGroupId"] = SecurityGroupId,
            ["masterUserSecretArn"] = MasterUserSecretArn,
            ["expiresAt"] = ExpiresAt,
            ["smokeCheckResult"] = SmokeCheckResult,
            ["masking"] = Masking,
        });
    }

    /// <summary>The port as text, the form SSM and the hooks' environment take.</summary>
    private readonly Output<string> _portText;

    private readonly string _childPrefix;

    private readonly Output<string>? _maskingSalt;

    public Output<string> ClusterIdentifier { get; }

    public Output<string> Endpoint { get; }

    public Output<string> ReaderEndpoint { get; }

    /// <summary>What clients connect to: the stable writer name with <c>dnsZoneId</c>, else the writer endpoint.</summary>
    public Output<string> Host { get; }

    /// <summary>The stable reader name with <c>dnsZoneId</c>, else the reader endpoint.</summary>
    public Output<string> ReaderHost { get; }

    public Output<int> Port { get; }

    public Output<string> SecurityGroupId { get; }

    public Output<string> MasterUserSecretArn { get; }

    public Output<string> ExpiresAt { get; }

    public Output<string> SmokeCheckResult { get; }

    /// <summary>What masked the clone, as the masking hook reported it; or that nothing did (allowUnmaskedData).</summary>
    public Output<string> Masking { get; }

    public Output<string> ClusterResourceId { get; }

    public Output<string> MasterUsername { get; }

    /// <summary>The creation time the created-at command recorded (a UTC timestamp).</summary>
    public Output<string> CreatedAt { get; }

    /// <summary>What anything that publishes the clone must wait for: the last hook, or the instance when no hook runs.</summary>
    public Resource PublishedAfter { get; }

    private SecurityGroup DeclareSecurityGroup(SecurityGroupPlan plan, InputMap<string> tags)
    {
        var ingress = new InputList<SecurityGroupIngressArgs>();
        void Admit(string description, Action<SecurityGroupIngressArgs> from)
        {
            var rule = new SecurityGroupIngressArgs { Protocol = "tcp", FromPort = plan.Port, ToPort = plan.Port, Description = description };
            from(rule);
            ingress.Add(rule);
        }

        if (plan.Ingress.Ipv4Cidrs.Count > 0)
        {
            Admit("QA clients (IPv4)", r => r.CidrBlocks = plan.Ingress.Ipv4Cidrs.ToList());
        }

        if (plan.Ingress.Ipv6Cidrs.Count > 0)
        {
            Admit("QA clients (IPv6)", r => r.Ipv6CidrBlocks = plan.Ingress.Ipv6Cidrs.ToList());
        }

        if (plan.Ingress.SecurityGroupIds.Count > 0)
        {
            Admit("QA clients (security groups)", r => r.SecurityGroups = plan.Ingress.SecurityGroupIds.ToList());
        }

        // No egress rules: the database never opens connections, and with none declared the
        // provider removes the allow-all egress rule AWS adds to every new group.
        return new SecurityGroup(_childPrefix + "access", new SecurityGroupArgs
        {
            Name = plan.Name,
            Description = plan.Description,
            VpcId = plan.VpcId,
            Ingress = ingress,
            Tags = tags,
        }, new CustomResourceOptions { Parent = this });
    }

    private Pulumi.Aws.Rds.Cluster DeclareCluster(EnvironmentPlan plan, SecurityGroup securityGroup, InputMap<string> tags, Resource? dependsOn)
    {
        var c = plan.Cluster;
        var restore = new ClusterRestoreToPointInTimeArgs
        {
            SourceClusterIdentifier = c.SourceClusterIdentifier,
            RestoreType = c.RestoreType,
        };
        if (c.RestoreToTime is { } time)
        {
            restore.RestoreToTime = time;
        }
        else
        {
            restore.UseLatestRestorableTime = c.UseLatestRestorableTime;
        }

        var args = new ClusterArgs
        {
            ClusterIdentifier = c.Identifier,
            Engine = c.Engine,
            // No EngineVersion: a copy-on-write clone always has the source's version. Setting it
            // would only add a diff (an in-place upgrade of the clone) whenever the source upgrades.
            RestoreToPointInTime = restore,
            DbSubnetGroupName = c.DbSubnetGroupName,
            VpcSecurityGroupIds = { securityGroup.Id },
            ManageMasterUserPassword = ClusterPlan.ManageMasterUserPassword,
            SkipFinalSnapshot = ClusterPlan.SkipFinalSnapshot,
            DeletionProtection = ClusterPlan.DeletionProtection,
            CopyTagsToSnapshot = ClusterPlan.CopyTagsToSnapshot,
            ApplyImmediately = ClusterPlan.ApplyImmediately,
            Tags = tags,
        };
        if (c.Serverless is { } s)
        {
            var scaling = new ClusterServerlessv2ScalingConfigurationArgs { MinCapacity = s.MinCapacity, MaxCapacity = s.MaxCapacity };
            if (s.SecondsUntilAutoPause is { } pause)
            {
                scaling.SecondsUntilAutoPause = pause;
            }

            args.Serverlessv2ScalingConfiguration = scaling;
        }

        var options = new CustomResourceOptions
        {
            Parent = this,
            // The restore inputs are deterministic functions of the config, so an unchanged config
            // plans no replacement. The one value looked up on every run that could force one is an
            // inherited subnet group (see ClusterPlan.IgnoreChanges). The restore block itself is NOT
            // ignored: ignoreChanges also pins the old value into a replacement, which would make a
            // re-clone at a new restoreTime silently reuse the old time.
            IgnoreChanges = c.IgnoreChanges.ToList(),
            // Any replacement (a re-clone: cloneGeneration gives the cluster a new identifier, or a new
            // restoreTime) deletes the old clone first: a restore under an identifier that still
            // exists would fail after minutes, and a QA environment can take the short gap.
            DeleteBeforeReplace = true,
        };
        if (dependsOn is not null)
        {
            options.DependsOn.Add(dependsOn);
        }

        return new Pulumi.Aws.Rds.Cluster(_childPrefix + "cluster", args, options);
    }

    private Command DeclareHook(HookPlan hook, EnvironmentPlan plan, Pulumi.Aws.Rds.Cluster cluster, Output<string> host, Resource after)
    {
        var environment = new InputMap<string>
        {
            [HookScripts.HostVariable] = host,
            [HookScripts.PortVariable] = _portText,
            [HookScripts.UserVariable] = cluster.MasterUsername,
            [HookScripts.SecretArnVariable] = MasterUserSecretArn,
            [HookScripts.DatabaseVariable] = plan.DatabaseName,
            [HookScripts.SslModeVariable] = HookScripts.AuroraSslMode,
            [HookScripts.SmokeQueryVariable] = plan.Settings.Hooks.SmokeCheckQuery,
        };
        if (plan.Settings.Hooks.BastionInstanceId is { } bastion)
        {
            environment.Add(HookScripts.BastionVariable, bastion);
            environment.Add(HookScripts.LocalPortVariable,
                HookScripts.LocalTunnelPort(plan.Settings.Context.Stack).ToString(CultureInfo.InvariantCulture));
        }

        if (hook.NeedsMaskingSalt)
        {
            // A secret Output: Pulumi stores the hook's environment with the salt encrypted.
            environment.Add(HookScripts.MaskingSaltVariable, _maskingSalt
                ?? throw new InvalidOperationException($"The masking policy uses hash, but no {ConfigKeys.MaskingSalt.Name} reached the component; validation should have refused the config."));
        }

        var triggers = new InputList<object>();
        foreach (var trigger in hook.Triggers)
        {
            triggers.Add((Input<object>)trigger);
        }

        // A re-clone is a new cluster resource id: the hooks must run again on the new data.
        triggers.Add((Input<object>)cluster.ClusterResourceId.Apply(id => (object)id));

        return new Command(_childPrefix + hook.Name, new CommandArgs
        {
            Create = hook.Script,
            Interpreter = HookScripts.Interpreter.ToList(),
            Environment = environment,
            Triggers = triggers,
        }, new CustomResourceOptions { Parent = this, DependsOn = { after } });
    }

    private Output<string> ValueOf(PublishedValue value, Pulumi.Aws.Rds.Cluster cluster) => value switch
    {
        PublishedValue.WriterEndpoint => cluster.Endpoint,
        PublishedValue.ReaderEndpoint => cluster.ReaderEndpoint,
        PublishedValue.Port => _portText,
        PublishedValue.ClusterIdentifier => cluster.ClusterIdentifier,
        PublishedValue.MasterUserSecretArn => MasterUserSecretArn,
        PublishedValue.Ready => cluster.ClusterResourceId,
        PublishedValue.Host => Host,
        PublishedValue.ReaderHost => ReaderHost,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown published value."),
    };
}
