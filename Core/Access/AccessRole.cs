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

    /// <summary>The role as the README and messages name it: "the deployer role", "the stewards' role".</summary>
    public static string Title(AccessRole role) => role == AccessRole.Stewards ? "the stewards' role" : "the deployer role";

    /// <summary>The command that prints the role's permissions policy, with the statement names a fault line refers to.</summary>
    public static string PolicyCommand(AccessRole role) => role == AccessRole.Stewards ? "qa-db policy --role stewards" : "qa-db policy";

    /// <summary>
    /// Which IAM role to run as, for a fault line: the role, its default IAM name and the access
    /// program's key that renames it, and the README section that explains it.
    /// </summary>
    public static string RunAs(AccessRole role) => role == AccessRole.Stewards
        ? $"{Title(role)} ({DefaultStewardsRoleName} unless the access stack's {AccessConfig.StewardsRoleName} says otherwise; README: \"{ReadmeSection(role)}\")"
        : $"{Title(role)} ({DefaultDeployerRoleName} unless the access stack's {AccessConfig.RoleName} says otherwise; README: \"{ReadmeSection(role)}\")";

    /// <summary>The README section that explains the role and how to get its credentials.</summary>
    public static string ReadmeSection(AccessRole role) => role == AccessRole.Stewards ? "The stewards' role: goldens and pool members" : "Access: the deployer role";
}

/// <summary>
/// One role's permissions policy, made for what a command or a stack works on: what an AWS denial is
/// matched against, so that the fault line names the statement meant to allow the call and whose
/// policy it is in (a golden's record is written under the stewards' role, a claim's lease under
/// the deployer's).
/// </summary>
public sealed record RolePermissions(AccessRole Role, PolicyDocument Policy)
{
    /// <summary>The permissions the access program gives <see cref="AccessScope.Role"/> for <paramref name="scope"/>.</summary>
    public static RolePermissions Of(AccessScope scope) => new(scope.Role, DeployerPolicy.Permissions(scope));
}
