using System.Globalization;

namespace QaDatabases.Masking;

/// <summary>
/// The one line <c>qa-db masking</c> prints on success, which the stack publishes as its
/// <c>masking</c> output: what the policy did (or, for <c>check</c>, would do) to the clone.
/// </summary>
public static class MaskingSummary
{
    /// <summary>After <c>apply</c>: <c>policy masking/policy.yaml: 14 columns masked in 6 tables, 3 tables truncated, 88 kept; gate passed</c>.</summary>
    /// <param name="policyPath">The policy as the command line named it.</param>
    /// <param name="plan">The plan that was applied.</param>
    public static string Applied(string policyPath, MaskingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return $"policy {policyPath}: {Count(plan.MaskedColumns, "column")} masked in {Count(plan.Masked.Count(), "table")}, "
            + $"{Count(plan.Truncated.Count, "table")} truncated, {plan.KeptColumns.ToString(CultureInfo.InvariantCulture)} kept; gate passed";
    }

    /// <summary>After <c>check</c>: the same counts as what applying would do, and whether masked data was verified.</summary>
    public static string Checked(string policyPath, MaskingPlan plan, bool verified)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return $"policy {policyPath}: {Count(plan.MaskedColumns, "column")} to mask in {Count(plan.Masked.Count(), "table")}, "
            + $"{Count(plan.Truncated.Count, "table")} to truncate, {plan.KeptColumns.ToString(CultureInfo.InvariantCulture)} kept; gate passed"
            + (verified ? "; masked data verified" : "");
    }

    private static string Count(int n, string noun) => $"{n.ToString(CultureInfo.InvariantCulture)} {noun}{(n == 1 ? "" : "s")}";
}
