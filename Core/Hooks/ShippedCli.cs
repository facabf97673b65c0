namespace QaDatabases.Hooks;

/// <summary>
/// How the commands that <c>pulumi up</c> runs (pool claims, releases and refill leases; the masking
/// hook) start the <c>qa-db</c> CLI. <c>Infra.csproj</c> builds the CLI in Release as part of the
/// program's own build, so a command only runs it: no build sits on the path from a claim to a
/// published clone. The path is relative to the Pulumi project directory (where the commands run),
/// so no machine-specific path lands in a resource's inputs and a second <c>pulumi up</c> elsewhere
/// plans no change.
/// </summary>
public static class ShippedCli
{
    /// <summary>Where <c>Infra.csproj</c>'s reference to the CLI project (Configuration=Release) puts it.</summary>
    public const string AssemblyPath = "Cli/bin/Release/net10.0/qa-db.dll";

    /// <summary>
    /// A shell command that runs <c>qa-db <paramref name="arguments"/></c>, or fails with one line
    /// saying why when the program was started without its build (e.g. a prebuilt binary).
    /// </summary>
    /// <param name="arguments">Shell-quoted arguments, starting with the subcommand.</param>
    public static string Run(string arguments) =>
        $"{{ [ -f {AssemblyPath} ] || {{ echo 'qa-db: {AssemblyPath} is missing: it is built with the Pulumi program (Infra.csproj); run pulumi from the project directory so the program is built' >&2; exit {ExitCodes.Rejected}; }}; }} && dotnet {AssemblyPath} {arguments}";

    /// <summary>
    /// One shell word, single-quoted (each <c>'</c> written as <c>'\''</c>): every value that goes into a
    /// command or hook script the program runs, so no name, path or message can split into more words.
    /// </summary>
    public static string Quote(string word) => $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    /// <summary>The <c>--region</c> option of a qa-db command, or nothing for the SDK's default region.</summary>
    public static string RegionOption(string? region) => string.IsNullOrEmpty(region) ? "" : $" --region {Quote(region)}";
}
