using System.Text.RegularExpressions;

namespace QaDatabases.Tests.Support;

/// <summary>What the fault tests of the <c>qa-db pool</c> and <c>qa-db golden</c> commands share: the one-line check and a run without credentials.</summary>
internal static partial class FaultRuns
{
    /// <summary>Every variable the SDK's credential chain reads, so the child inherits none from the test process.</summary>
    private static readonly string[] NoCredentialVariables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ];

    /// <summary>stderr is exactly one line starting with <c>qa-db: </c>, and no stack trace.</summary>
    public static string OneLine(ScriptResult result)
    {
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("qa-db: ", line, StringComparison.Ordinal);
        return line;
    }

    /// <summary>Runs <c>qa-db</c> against moto with no credentials anywhere the SDK looks (an empty home, no profile files).</summary>
    public static async Task<ScriptResult> WithoutCredentialsAsync(MotoServer moto, params string[] arguments)
    {
        var home = Directory.CreateTempSubdirectory("qa-db-nocreds-");
        try
        {
            var environment = moto.ClientEnvironment();
            environment.Remove("AWS_ACCESS_KEY_ID");
            environment.Remove("AWS_SECRET_ACCESS_KEY");
            environment["HOME"] = home.FullName;
            environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(home.FullName, "credentials");
            environment["AWS_CONFIG_FILE"] = Path.Combine(home.FullName, "config");
            return await QaDbProcess.RunAsync(environment, NoCredentialVariables, arguments);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    /// <summary>A frame of a .NET stack trace in qa-db's code: what <c>QA_DB_DEBUG=1</c> adds and a plain fault line never shows.</summary>
    [GeneratedRegex(@"\n\s+at QaDatabases\.")]
    public static partial Regex StackFrame();
}
