namespace QaDatabases.Golden;

/// <summary>
/// Reads SSM parameters by name (SSM in AWS; a fake in tests). Read-only: the program reads a golden's
/// record and a consumer's recorded source with it at preview and at up, and never writes through it.
/// </summary>
public interface IGoldenRecordSource
{
    /// <summary>The value of one parameter, or null when it does not exist.</summary>
    Task<string?> ReadParameterAsync(string name, CancellationToken cancellationToken);
}

/// <summary>The golden reads the program makes, over any <see cref="IGoldenRecordSource"/>.</summary>
public static class GoldenRecordSourceExtensions
{
    /// <summary>The golden's ready record, or null when it has none.</summary>
    /// <exception cref="GoldenRejectedException">The parameter exists but is not a complete record.</exception>
    public static async Task<GoldenRecord?> ReadRecordAsync(this IGoldenRecordSource source, string goldenStack, CancellationToken cancellationToken)
    {
        var name = GoldenPaths.Ready(goldenStack);
        return await source.ReadParameterAsync(name, cancellationToken) is { } json ? GoldenRecord.Parse(json, name) : null;
    }

    /// <summary>What a consumer recorded it was cloned from, or null when it has no clone yet.</summary>
    /// <exception cref="GoldenRejectedException">The parameter exists but is not a complete record.</exception>
    public static async Task<GoldenSource?> ReadPublishedSourceAsync(this IGoldenRecordSource source, string ssmPrefix, CancellationToken cancellationToken)
    {
        var name = GoldenDecisions.SourceParameterName(ssmPrefix);
        return await source.ReadParameterAsync(name, cancellationToken) is { } json ? GoldenSource.Parse(json, name) : null;
    }
}
