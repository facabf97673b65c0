using System.Text.RegularExpressions;

namespace QaDatabases.Naming;

/// <summary>What a config key that names another stack of this project (a pool, a golden) may hold.</summary>
public static partial class StackName
{
    /// <summary>The rule, for error messages.</summary>
    public const string Allowed = "letters, digits, '-', '_' or '.', up to 100 characters";

    /// <summary>True when <paramref name="name"/> is a Pulumi stack name (without org and project).</summary>
    public static bool IsValid(string name) => Pattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")]
    private static partial Regex Pattern();
}
