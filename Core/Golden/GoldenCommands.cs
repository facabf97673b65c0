using System.Globalization;
using QaDatabases.Hooks;

namespace QaDatabases.Golden;

/// <summary>
/// The commands a golden stack's <c>pulumi up</c> and <c>destroy</c> run (as <c>local.Command</c>s) to
/// switch and withdraw its record: the real <c>qa-db golden</c> CLI the program ships, never a build.
/// </summary>
public static class GoldenCommands
{
    public static string Cli => ShippedCli.Run("golden");

    /// <summary>
    /// Switches the golden's record to <paramref name="record"/> in one atomic overwrite; refused (exit 1)
    /// when the record already names a newer generation. Run only after the golden's gate passed.
    /// </summary>
    public static string Publish(string golden, GoldenRecord record, string? region) =>
        $"{Cli} publish --stack {ShippedCli.Quote(golden)} --cluster {ShippedCli.Quote(record.Cluster)}"
        + $" --generation {record.Generation.ToString(CultureInfo.InvariantCulture)} --policy-fingerprint {ShippedCli.Quote(record.PolicyFingerprint)}"
        + $" --data-time {ShippedCli.Quote(record.DataTime)} --source-cluster {ShippedCli.Quote(record.SourceCluster)}{ShippedCli.RegionOption(region)}";

    /// <summary>
    /// Deletes the golden's record only while it still names <paramref name="cluster"/>: on
    /// <c>pulumi destroy</c>, and harmlessly when a refresh retires the command that recorded the
    /// previous golden (the record names the new one by then).
    /// </summary>
    public static string Withdraw(string golden, string cluster, string? region) =>
        $"{Cli} withdraw --stack {ShippedCli.Quote(golden)} --cluster {ShippedCli.Quote(cluster)}{ShippedCli.RegionOption(region)}";
}
