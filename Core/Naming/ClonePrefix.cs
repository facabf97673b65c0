using System.Text.RegularExpressions;

namespace QaDatabases.Naming;

/// <summary>
/// The rules for <c>clonePrefix</c>. The prefix is a security boundary: the deployer role may
/// create, change and delete only RDS resources whose identifier starts with it, so it must be
/// a valid start of an RDS identifier and of a security group name, and must not be a prefix of a
/// source cluster's identifier.
/// </summary>
public static partial class ClonePrefix
{
    public const string Allowed =
        "expected 2 to 16 characters: a lower-case letter, then lower-case letters, digits or hyphens, ending with '-' (e.g. qadb-), not starting with sg-";

    /// <summary>Null when the prefix is acceptable, else what is wrong with it.</summary>
    public static string? Problem(string prefix) =>
        !Shape().IsMatch(prefix) || prefix.Contains("--", StringComparison.Ordinal)
            ? Allowed
            : prefix.StartsWith("sg-", StringComparison.Ordinal)
                ? "must not start with sg-, the prefix of EC2's own security group ids"
                : null;

    /// <summary>
    /// Whether a cluster with this identifier falls inside the prefix's scope, so that the deployer
    /// role's create/modify/delete permissions would cover it. RDS identifiers are case-insensitive.
    /// </summary>
    public static bool Covers(string prefix, string identifier) =>
        identifier.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("^[a-z][a-z0-9-]{0,14}-$")]
    private static partial Regex Shape();
}
