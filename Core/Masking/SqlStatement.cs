namespace QaDatabases.Masking;

/// <summary>
/// One SQL statement with its parameters. Values from the policy (a <c>constant</c>, a <c>text</c>
/// prefix) and the salt are parameters, never spliced into the text. PostgreSQL statements use
/// positional <c>$1</c> parameters (<see cref="SqlParameter.Name"/> null: Npgsql then sends the text
/// as written), MySQL statements named <c>@p0</c> ones.
/// </summary>
public sealed record SqlStatement(string Text, IReadOnlyList<SqlParameter> Parameters)
{
    public SqlStatement(string text)
        : this(text, [])
    {
    }

    /// <summary>The text only: parameters may hold the salt, which never goes into a log.</summary>
    public override string ToString() => Text;
}

/// <summary>A parameter: its name (MySQL <c>@p0</c>) or null (PostgreSQL, positional), and its value.</summary>
public sealed record SqlParameter(string? Name, object? Value)
{
    public override string ToString() => $"{Name ?? "$"}=(hidden)";
}
