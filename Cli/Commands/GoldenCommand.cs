using QaDatabases.Aws;
using QaDatabases.Golden;

namespace QaDatabases.Cli.Commands;

/// <summary>
/// <c>qa-db golden</c>: the record commands a golden stack's <c>pulumi up</c> and <c>destroy</c> run
/// (publish after the gate, withdraw on destroy), and <c>show</c> for people; the options are parsed
/// in <see cref="QaDbCli"/>.
/// </summary>
internal static class GoldenCommand
{
    public static async Task<int> PublishAsync(string golden, GoldenRecord record, string? region, TextWriter stdout, TextWriter stderr)
    {
        using var ssm = new SsmPoolStore(region);
        return await ReportAsync(await new GoldenRecordStore(ssm).PublishAsync(golden, record, CancellationToken.None), stdout, stderr);
    }

    public static async Task<int> WithdrawAsync(string golden, string cluster, string? region, TextWriter stdout, TextWriter stderr)
    {
        using var ssm = new SsmPoolStore(region);
        return await ReportAsync(await new GoldenRecordStore(ssm).WithdrawAsync(golden, cluster, CancellationToken.None), stdout, stderr);
    }

    /// <summary>Prints the record as one JSON line; exit 1 when there is none (or it is unreadable), saying why.</summary>
    public static async Task<int> ShowAsync(string golden, string? region, TextWriter stdout, TextWriter stderr)
    {
        using var ssm = new SsmPoolStore(region);
        try
        {
            if (await new GoldenRecordStore(ssm).ReadAsync(golden, CancellationToken.None) is { } record)
            {
                await stdout.WriteLineAsync(record.ToJson());
                return ExitCodes.Done;
            }

            await stderr.WriteLineAsync($"qa-db: {GoldenDecisions.MissingRecordMessage(golden)}");
        }
        catch (GoldenRejectedException e)
        {
            await stderr.WriteLineAsync($"qa-db: {e.Message}");
        }

        return ExitCodes.Rejected;
    }

    private static async Task<int> ReportAsync(LeaseChange change, TextWriter stdout, TextWriter stderr)
    {
        await (change.Succeeded ? stdout : stderr).WriteLineAsync(change.Succeeded ? change.Message : $"qa-db: {change.Message}");
        return change.Succeeded ? ExitCodes.Done : ExitCodes.Rejected;
    }
}
