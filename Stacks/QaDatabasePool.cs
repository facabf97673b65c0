using Pulumi;
using Pulumi.Aws.Ssm;
using Pulumi.Command.Local;
using QaDatabases.Pool;

namespace QaDatabases.Stacks;

/// <summary>
/// A pool stack's members: each a <see cref="QaDatabase"/> (clone, instance, hooks, scale-to-zero),
/// its ready record in SSM written only after its hooks passed, and, for a member the refill
/// re-clones, the lease commands around it: the refill's lease is taken before the cluster (and so
/// the deletion of the previous clone), and released after the new ready record is written.
/// </summary>
internal sealed class QaDatabasePool : ComponentResource
{
    /// <param name="name">The component's name.</param>
    /// <param name="members">The members to declare.</param>
    /// <param name="maskingSalt">The maskingSalt config as a secret Output, for members whose masking policy uses hash.</param>
    /// <param name="options">The component's options.</param>
    public QaDatabasePool(string name, IReadOnlyList<PoolMemberPlan> members, Output<string>? maskingSalt, ComponentResourceOptions? options = null)
        : base("qa-db:index:QaDatabasePool", name, options)
    {
        var outputs = new List<Output<Dictionary<string, object>>>();
        foreach (var m in members)
        {
            var n = m.Decision.Number;
            Command? refillLease = null;
            if (m.RefillLeaseCommand is { } lease)
            {
                // Triggers: the new generation, so the lease is taken once per refill and not again on a later `up`.
                refillLease = new Command($"refill-lease-m{n}", new CommandArgs
                {
                    Create = lease,
                    Triggers = new InputList<object> { (Input<object>)Output.Create<object>(m.Decision.Generation) },
                }, new CustomResourceOptions { Parent = this });
            }

            var member = new QaDatabase($"m{n}", new QaDatabaseArgs
            {
                Plan = m.Member,
                ClusterDependsOn = refillLease,
                RecordCreationPerClone = true,
                ChildPrefix = $"m{n}-",
                MaskingSalt = maskingSalt,
            }, new ComponentResourceOptions { Parent = this });

            var ready = Output.Tuple(member.ClusterIdentifier, member.Endpoint, member.ReaderEndpoint, member.Port, member.MasterUserSecretArn,
                    member.MasterUsername, member.ClusterResourceId, member.SecurityGroupId)
                .Apply(t => Output.Tuple(member.CreatedAt, member.Masking).Apply(more => PoolPlanner.ReadyRecord(
                    m.Member, m.Decision.Generation, t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7, t.Item8, more.Item1, more.Item2)));
            var readyParameter = new Parameter($"ready-m{n}", new ParameterArgs
            {
                Name = m.ReadyParameterName,
                Type = "String",
                Value = ready,
                Description = $"Pool member {n}: written once its hooks passed; a claim reads it",
                Tags = m.Member.Tags.ToDictionary(),
            }, new CustomResourceOptions { Parent = this, DependsOn = { member.PublishedAfter } });

            if (m.RefillDoneCommand is { } done)
            {
                _ = new Command($"refill-done-m{n}", new CommandArgs
                {
                    Create = done,
                    Triggers = new InputList<object> { (Input<object>)Output.Create<object>(m.Decision.Generation) },
                }, new CustomResourceOptions { Parent = this, DependsOn = { readyParameter } });
            }

            outputs.Add(Output.Tuple(member.ClusterIdentifier, member.Masking).Apply(t => new Dictionary<string, object>
            {
                ["member"] = n,
                ["clusterIdentifier"] = t.Item1,
                ["masking"] = t.Item2,
                ["generation"] = m.Decision.Generation,
                ["action"] = m.Decision.Action == RefillAction.Refill ? "refill" : "keep",
                ["reason"] = m.Decision.Reason,
            }));
        }

        Members = Output.All(outputs).Apply(list => list.ToArray());
        RegisterOutputs(new Dictionary<string, object?> { ["members"] = Members });
    }

    /// <summary>Per member: its number, cluster, what masked it, generation, and what this `up` did with it and why.</summary>
    public Output<Dictionary<string, object>[]> Members { get; }
}
