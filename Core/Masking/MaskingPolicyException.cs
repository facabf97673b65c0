namespace QaDatabases.Masking;

/// <summary>
/// A masking policy file that cannot be used. Each problem reads <c>FILE:LINE: what is wrong, and what
/// is allowed</c>; the message lists every problem found, one per line, so one run shows them all.
/// </summary>
public sealed class MaskingPolicyException : Exception
{
    public MaskingPolicyException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems)) => Problems = problems;

    public MaskingPolicyException()
        : this([])
    {
    }

    public MaskingPolicyException(string message)
        : this([message])
    {
    }

    public MaskingPolicyException(string message, Exception innerException)
        : base(message, innerException) => Problems = [message];

    public IReadOnlyList<string> Problems { get; }
}
