using QaDatabases.Access;
using QaDatabases.Aws;
using QaDatabases.Faults;

namespace QaDatabases.Cli.Commands;

/// <summary>
/// How a command that reads and writes SSM state (<c>qa-db pool</c>'s leases, <c>qa-db golden</c>'s
/// record) runs: one client with the retries and timeouts every AWS client shares
/// (<see cref="AwsClientSettings"/>), and an expected AWS fault turned into its one line and exit code
/// (<see cref="AwsFaults"/>). <c>QA_DB_DEBUG=1</c> adds the full exception. Anything unexpected
/// propagates with its stack trace: that is a bug.
/// </summary>
internal static class SsmCommand
{
    /// <param name="region">The region to call, else the SDK's default.</param>
    /// <param name="stderr">Where the fault's line goes.</param>
    /// <param name="roles">
    /// The policies of the roles the command runs under, made for the region the failed call went to:
    /// a denial names the statement meant to allow it and whose policy it is in.
    /// </param>
    /// <param name="run">The command's work against the store; returns its exit code.</param>
    public static async Task<int> RunAsync(string? region, TextWriter stderr, Func<string, IReadOnlyList<RolePermissions>> roles, Func<SsmPoolStore, Task<int>> run)
    {
        AwsClientSettings settings;
        try
        {
            settings = AwsClientSettings.FromEnvironment();
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }

        using var store = new SsmPoolStore(region, settings);
        try
        {
            return await run(store);
        }
        catch (AwsFaultException e)
        {
            var left = e.LeftBehind is null ? "" : $" Left behind: {e.LeftBehind}.";
            await stderr.WriteLineAsync($"qa-db: {AwsFaults.Describe(e.Fault, roles(e.Fault.Call.Region))}{left}");
            if (AwsFaults.DebugRequested(Environment.GetEnvironmentVariable))
            {
                await stderr.WriteLineAsync(e.ToString());
            }

            return AwsFaults.ExitCode(e.Fault.Kind);
        }
    }

    /// <summary>A change's message: on stdout when it happened, else on stderr with exit 1.</summary>
    public static async Task<int> PrintAsync(LeaseChange change, TextWriter stdout, TextWriter stderr)
    {
        await (change.Succeeded ? stdout : stderr).WriteLineAsync(change.Succeeded ? change.Message : $"qa-db: {change.Message}");
        return change.Succeeded ? ExitCodes.Done : ExitCodes.Rejected;
    }
}
