using System.Text.RegularExpressions;

namespace QaDatabases.Access;

/// <summary>
/// Which statements of a policy cover a request (an action on a resource), with IAM's matching rules
/// for <c>Action</c>/<c>NotAction</c> (case-insensitive, <c>*</c> and <c>?</c>) and <c>Resource</c>
/// (case-sensitive, <c>*</c> and <c>?</c>). Conditions are not evaluated: this answers "which
/// statement is meant to allow this?" when AWS has denied it, not "would AWS allow it?", which the
/// policy tests ask a real IAM simulator.
/// </summary>
public static class PolicyEvaluation
{
    /// <summary>The statements whose actions and resources cover <paramref name="action"/> on <paramref name="resource"/>, in the policy's order.</summary>
    public static IReadOnlyList<PolicyStatement> Covering(this PolicyDocument policy, string action, string resource) =>
        policy.Statements.Where(s => s.Covers(action, resource)).ToList();

    /// <summary>True when the statement names the action (or, with <c>NotAction</c>, does not exclude it) and one of its resources matches.</summary>
    public static bool Covers(this PolicyStatement statement, string action, string resource)
    {
        var actionMatches = statement.Actions.Count > 0
            ? statement.Actions.Any(a => Matches(a, action, ignoreCase: true))
            : !statement.NotActions.Any(a => Matches(a, action, ignoreCase: true));
        return actionMatches && statement.Resources.Any(r => Matches(r, resource, ignoreCase: false));
    }

    /// <summary>IAM's wildcard match: <c>*</c> any run of characters, <c>?</c> any one character.</summary>
    public static bool Matches(string pattern, string value, bool ignoreCase)
    {
        var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        var options = RegexOptions.CultureInvariant | RegexOptions.Singleline | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        return Regex.IsMatch(value, regex, options, TimeSpan.FromSeconds(1));
    }
}
