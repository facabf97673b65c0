namespace QaDatabases.Configuration;

/// <summary>
/// One thing wrong with the stack's input: which key, what it held, and what is allowed.
/// <paramref name="Namespace"/> is the config namespace the key lives in (this project's by default;
/// <c>aws</c> for <c>aws:region</c>, <c>qa-db-access</c> for the access program's keys).
/// </summary>
public sealed record ConfigProblem(string Key, string? Value, string Allowed, string Namespace = ConfigKeys.Project)
{
    /// <summary>The value a problem with a secret key shows instead of the secret.</summary>
    public const string SecretValue = "(secret, not shown)";

    public override string ToString() =>
        $"{Namespace}:{Key} = {(Value is null ? "(not set)" : $"'{Value}'")}: {Allowed}";
}

/// <summary>
/// Raised before any resource is declared, listing every problem at once so that one edit of the
/// stack config fixes them all.
/// </summary>
public sealed class ConfigValidationException : Exception
{
    public ConfigValidationException(IReadOnlyList<ConfigProblem> problems)
        : base(Format(problems)) => Problems = problems;

    public ConfigValidationException()
        : this([])
    {
    }

    public ConfigValidationException(string message)
        : base(message) => Problems = [];

    public ConfigValidationException(string message, Exception innerException)
        : base(message, innerException) => Problems = [];

    public IReadOnlyList<ConfigProblem> Problems { get; }

    private static string Format(IReadOnlyList<ConfigProblem> problems) =>
        $"The stack configuration is invalid ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}); nothing was declared:"
        + string.Concat(problems.Select(p => $"{Environment.NewLine}  - {p}"));
}
