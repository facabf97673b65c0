using QaDatabases.Configuration;

namespace QaDatabases.Access;

/// <summary>
/// The two roles the access program creates. Review stacks (ordinary clones, claimers, consumers of a
/// golden) deploy with the deployer role, which may never write to a golden or a pool member. Golden
/// and pool stacks deploy with the stewards' role, the only one that may make, change and delete them.
/// </summary>
public enum AccessRole
{
    Deployer,
    Stewards,
}

/// <summary>Which role a stack deploys with, and the names the role's parts get.</summary>
public static class AccessRoles
{
    public const string DefaultDeployerRoleName = "qa-db-deployer";
    public const string DefaultStewardsRoleName = "qa-db-stewards";

    /// <summary>Golden and pool stacks are the stewards'; every other stack is the deployer's.</summary>
    public static AccessRole Of(StackSettings settings) =>
        settings.Golden is Golden.GoldenRole.Golden || settings.Pool is Pool.PoolRole.PoolOf ? AccessRole.Stewards : AccessRole.Deployer;

    /// <summary>The lower-case name used on the command line and in ESC environment names.</summary>
    public static string Name(AccessRole role) => role == AccessRole.Stewards ? "stewards" : "deployer";

    /// <summary>What the role's stacks are, for messages.</summary>
    public static string Describe(AccessRole role) => role == AccessRole.Stewards
        ? "golden and pool stacks"
        : "review stacks (ordinary clones, pool claimers and clones of a golden)";
}
