namespace QaDatabases;

/// <summary>
/// The exit codes of every <c>qa-db</c> command, one meaning each, so a Deployments log, a script or
/// a Pulumi <c>local.Command</c> can tell whose fault a failure is without reading the text.
/// The README's "Exit codes" table documents the same list.
/// </summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Done = 0;

    /// <summary>
    /// The command's own "no": invalid config or masking policy, a masking gate that failed, a stack
    /// that could not be destroyed, a clone that is not isolated. Fix the input and run again.
    /// </summary>
    public const int Rejected = 1;

    /// <summary>The command line itself is wrong: an unknown option, a malformed value.</summary>
    public const int UsageError = 2;

    /// <summary>A claim found no free pool member.</summary>
    public const int NoFreeMember = 3;

    /// <summary>
    /// A service could not be used for a while: AWS (or the clone's database) unreachable, timing out,
    /// or still throttling after the bounded retries. Running the same command later may succeed.
    /// </summary>
    public const int Unavailable = 4;

    /// <summary>AWS refused: no or expired credentials, or access denied to the role in use.</summary>
    public const int Denied = 5;
}
