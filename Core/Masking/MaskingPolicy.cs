using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace QaDatabases.Masking;

/// <summary>
/// A masking policy: the closed-world classification of every table and column of a clone
/// (<c>masking/policy.yaml</c>). Every table of the covered schemas is either listed here or the gate
/// fails; a listed table is <see cref="TruncateTable">truncated</see>, <see cref="KeepAllTable">kept
/// whole</see> with a written reason, or <see cref="MaskTable">masked column by column</see>, where
/// every column is <c>keep</c> or a named strategy. Read it with <see cref="MaskingPolicyFile"/>.
/// </summary>
/// <param name="Path">The file as the caller named it; every error message starts with it.</param>
/// <param name="ContentFingerprint">The file's <see cref="Fingerprint(string)"/>.</param>
/// <param name="Schemas">The schemas (MySQL: databases) the policy covers, or null for every non-system one.</param>
/// <param name="Tables">The tables in the order the file lists them.</param>
public sealed record MaskingPolicy(string Path, string ContentFingerprint, IReadOnlyList<string>? Schemas, IReadOnlyList<TableRule> Tables)
{
    /// <summary>
    /// True when some column uses <c>hash</c>, whose digest is salted by the secret <c>maskingSalt</c>:
    /// without the salt a policy that hashes must not run, since an unsalted digest of a phone number
    /// or tax id is reversed by trying every candidate.
    /// </summary>
    public bool UsesHash => Tables.OfType<MaskTable>().Any(t => t.Columns.Any(c => c.Strategy.Kind == StrategyKind.Hash));

    /// <summary>
    /// The identity of a policy file: lowercase hex SHA-256 of its content with line endings normalised
    /// to "\n", so the same policy checked out on Windows and Linux has one fingerprint. Golden clones
    /// record it to prove which policy masked them, and the ledger stores it with every masked column;
    /// nothing but the file's text goes into it (not the salt, not the path).
    /// </summary>
    public static string Fingerprint(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var normalised = content.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }

    /// <summary>"FILE:LINE" for messages about the policy.</summary>
    internal string At(int line) => line > 0 ? $"{Path}:{line.ToString(CultureInfo.InvariantCulture)}" : Path;
}

/// <summary>A table as the policy names it: <c>schema.table</c>, or <c>table</c> for the connection's default schema.</summary>
/// <param name="Schema">The schema (MySQL: database), or null for the connection's default.</param>
/// <param name="Table">The table's name.</param>
public sealed record PolicyTableName(string? Schema, string Table)
{
    public override string ToString() => Schema is null ? Table : $"{Schema}.{Table}";
}

/// <summary>What the policy says about one table, and the line that says it.</summary>
public abstract record TableRule(PolicyTableName Name, int Line);

/// <summary>
/// Every row is removed (sessions, audit logs, outboxes). PostgreSQL: <c>TRUNCATE</c>, which is
/// transactional; MySQL: <c>DELETE</c>, since MySQL's TRUNCATE is DDL and commits implicitly.
/// </summary>
public sealed record TruncateTable(PolicyTableName Name, int Line) : TableRule(Name, Line);

/// <summary>The table holds no personal data (reference data, say) and is kept whole; the reason is mandatory, for the auditor.</summary>
public sealed record KeepAllTable(PolicyTableName Name, int Line, string Reason) : TableRule(Name, Line);

/// <summary>The table is masked column by column; every column is classified.</summary>
/// <param name="Name">The table as the policy names it.</param>
/// <param name="Line">Where the policy names it.</param>
/// <param name="Key">The columns that identify a row, when the table has no primary key (or another key is wanted); null: the primary key.</param>
/// <param name="KeyLine">Where <c>key:</c> is written, for errors about it.</param>
/// <param name="Columns">Every column's classification, in the file's order.</param>
public sealed record MaskTable(PolicyTableName Name, int Line, IReadOnlyList<string>? Key, int KeyLine, IReadOnlyList<ColumnRule> Columns)
    : TableRule(Name, Line);

/// <summary>One column's classification.</summary>
public sealed record ColumnRule(string Column, MaskingStrategy Strategy, int Line);

/// <summary>The strategies a column can be given.</summary>
public enum StrategyKind
{
    Keep,
    Email,
    Phone,
    Name,
    Text,
    PostalCode,
    DateShift,
    Null,
    Constant,
    Hash,
    Sql,
}

/// <summary>A strategy and its parameter (the prefix of <c>text</c>, the days of <c>date-shift</c>, ...).</summary>
public sealed record MaskingStrategy(StrategyKind Kind, string? Parameter = null)
{
    public static readonly MaskingStrategy Keep = new(StrategyKind.Keep);

    /// <summary>The strategy's name as the policy writes it.</summary>
    public string Name => StrategyCatalog.Of(Kind).Name;

    /// <summary>Whether this strategy changes the column.</summary>
    public bool Masks => Kind != StrategyKind.Keep;

    /// <summary>
    /// True when the masked value is a function of the row's key (and the policy) alone, so that
    /// re-applying it is harmless and verification can recompute it. False for <c>date-shift</c>,
    /// <c>hash</c> and <c>sql</c>, which read the column's current value: applied twice they would
    /// shift or digest twice, so the ledger records that they ran.
    /// </summary>
    public bool DerivedFromKey => StrategyCatalog.Of(Kind).DerivedFromKey;

    /// <summary>The days of <c>date-shift</c>.</summary>
    public int Days => Kind == StrategyKind.DateShift
        ? int.Parse(Parameter!, NumberStyles.None, CultureInfo.InvariantCulture)
        : throw new InvalidOperationException($"{Name} has no days");

    /// <summary>
    /// The strategy as one canonical line, e.g. <c>date-shift: 30</c>: what the ledger records, so a
    /// re-run can tell whether this exact rule already ran on the column.
    /// </summary>
    public string Rule => Parameter is null ? Name : $"{Name}: {Parameter}";

    public override string ToString() => Rule;
}

/// <summary>What each strategy produces, what it needs and what it fits: one table the parser, the gate and the README agree on.</summary>
public static class StrategyCatalog
{
    /// <summary>One strategy's facts.</summary>
    /// <param name="Kind">Which strategy.</param>
    /// <param name="Name">Its name in the policy.</param>
    /// <param name="ParameterName">What its parameter is, or null when it takes none.</param>
    /// <param name="DerivedFromKey">See <see cref="MaskingStrategy.DerivedFromKey"/>.</param>
    /// <param name="WritesText">True when it writes text, and so fits only character columns.</param>
    /// <param name="Example">A policy line using it.</param>
    public sealed record Info(StrategyKind Kind, string Name, string? ParameterName, bool DerivedFromKey, bool WritesText, string Example);

    public static IReadOnlyList<Info> All { get; } =
    [
        new(StrategyKind.Keep, "keep", null, true, false, "id: keep"),
        new(StrategyKind.Email, "email", null, true, true, "email: email"),
        new(StrategyKind.Phone, "phone", null, true, true, "phone: phone"),
        new(StrategyKind.Name, "name", null, true, true, "full_name: name"),
        new(StrategyKind.Text, "text", "a prefix", true, true, "notes: { text: \"note-\" }"),
        new(StrategyKind.PostalCode, "postal-code", null, true, true, "zip: postal-code"),
        new(StrategyKind.DateShift, "date-shift", "the most days to shift, 1 to 36500", false, false, "birth_date: { date-shift: 30 }"),
        new(StrategyKind.Null, "null", null, true, false, "middle_name: \"null\""),
        new(StrategyKind.Constant, "constant", "the value", true, false, "status: { constant: active }"),
        new(StrategyKind.Hash, "hash", null, false, true, "tax_id: hash"),
        new(StrategyKind.Sql, "sql", "an expression", false, false, "prefs: { sql: \"'{}'\" }"),
    ];

    public static Info Of(StrategyKind kind) => All.Single(i => i.Kind == kind);

    public static Info? Named(string name) => All.SingleOrDefault(i => string.Equals(i.Name, name, StringComparison.Ordinal));

    /// <summary>Every strategy name, for "what is allowed" in errors.</summary>
    public static string Names => string.Join(", ", All.Select(i => i.ParameterName is null ? i.Name : $"{{ {i.Name}: {i.ParameterName} }}"));

    /// <summary>The largest <c>date-shift</c>: a century, more than any test needs and far from date overflow.</summary>
    public const int MaxShiftDays = 36500;
}
