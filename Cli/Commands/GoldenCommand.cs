using QaDatabases.Access;
using QaDatabases.Aws;
using QaDatabases.Golden;

namespace QaDatabases.Cli.Commands;

/// <summary>
/// <c>qa-db golden</c>: the record commands a golden stack's <c>pulumi up</c> and <c>destroy</c> run
/// (publish after the gate, withdraw on destroy), and <c>show</c> for people; the options are parsed
/// in <see cref="QaDbCli"/>. Like the pool commands (<see cref="SsmCommand"/>), an AWS fault is one
/// line with exit 4 (unavailable) or 5 (denied, credentials), and none leaves a change half-done
/// (<see cref="GoldenRecordStore"/>).
/// </summary>
internal static class GoldenCommand
{
    /// <summary>
    /// Switches the record after the golden's gate passed; exit 1 when it names a newer generation.
    /// One write: after a fault, the same publish run again finishes it. Run by the golden stack,
    /// under the stewards' role.
    /// </summary>
    public static Task<int> PublishAsync(string golden, GoldenRecord record, string? region, TextWriter stdout, TextWriter stderr) =>
        AgainstSsmAsync(golden, [AccessRole.Stewards], region, stderr, async records =>
            await SsmCommand.PrintAsync(await records.PublishAsync(golden, record, CancellationToken.None), stdout, stderr));

    /// <summary>
    /// Deletes the record while it names the cluster (the golden stack's <c>pulumi destroy</c>, under
    /// the stewards' role). One write: after a fault, the same withdraw run again finishes it.
    /// </summary>
    public static Task<int> WithdrawAsync(string golden, string cluster, string? region, TextWriter stdout, TextWriter stderr) =>
        AgainstSsmAsync(golden, [AccessRole.Stewards], region, stderr, async records =>
            await SsmCommand.PrintAsync(await records.WithdrawAsync(golden, cluster, CancellationToken.None), stdout, stderr));

    /// <summary>
    /// Prints the record as one JSON line; exit 1 when there is none (or it is unreadable), saying why.
    /// Read-only. Run by people with either role's credentials: the stewards' role reads it as the
    /// golden's own, the deployer role as a golden its stacks clone, so a denial is matched against both.
    /// </summary>
    public static Task<int> ShowAsync(string golden, string? region, TextWriter stdout, TextWriter stderr) =>
        AgainstSsmAsync(golden, [AccessRole.Stewards, AccessRole.Deployer], region, stderr, async records =>
        {
            try
            {
                if (await records.ReadAsync(golden, CancellationToken.None) is { } record)
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
        });

    /// <summary>Runs a record command against SSM; a fault's line is explained against each of <paramref name="roles"/>' policies for this golden.</summary>
    private static Task<int> AgainstSsmAsync(string golden, IReadOnlyList<AccessRole> roles, string? region, TextWriter stderr, Func<GoldenRecordStore, Task<int>> run) =>
        SsmCommand.RunAsync(
            region,
            stderr,
            at => roles.Select(role => RolePermissions.Of(AccessScope.ForState(role, at, goldens: [golden]))).ToList(),
            store => run(new GoldenRecordStore(store)));
}
