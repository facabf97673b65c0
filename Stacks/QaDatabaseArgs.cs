using Pulumi;
using QaDatabases.Planning;

namespace QaDatabases.Stacks;

/// <summary>
/// The inputs of a <see cref="QaDatabase"/>. A review stack's clone, a pool member and (later) a golden
/// differ only in the Args they pass: everything else about a clone is the same component.
/// </summary>
internal sealed class QaDatabaseArgs
{
    /// <summary>Everything to declare, decided in Core.</summary>
    public required EnvironmentPlan Plan { get; init; }

    /// <summary>
    /// A pool member's refill lease: the cluster (and so the deletion of the previous clone it
    /// replaces) waits until the lease is held. Null: the cluster waits for nothing.
    /// </summary>
    public Resource? ClusterDependsOn { get; init; }

    /// <summary>
    /// Pool members: record the creation time again for each generation, since it is the member's
    /// data time. Ordinary stacks record it once, so their expiry never moves.
    /// </summary>
    public bool RecordCreationPerClone { get; init; }

    /// <summary>
    /// The <c>maskingSalt</c> config as a secret Output, so the state keeps it encrypted. The masking
    /// hook gets it only when its policy uses <c>hash</c> (<see cref="HookPlan.NeedsMaskingSalt"/>);
    /// validation makes sure it is set then.
    /// </summary>
    public Output<string>? MaskingSalt { get; init; }

    /// <summary>
    /// Prefix of the children's names. Pulumi names children by type and name, not by parent, so the
    /// members of a pool need distinct ones; an ordinary stack keeps the unprefixed names it always had.
    /// </summary>
    public string ChildPrefix { get; init; } = "";
}
