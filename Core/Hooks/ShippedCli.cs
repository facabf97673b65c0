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
}
