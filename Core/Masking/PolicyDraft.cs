using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace QaDatabases.Masking;

/// <summary>
/// Writes policy YAML from a catalog: the complete starting policy of <c>qa-db masking init</c>, and
/// the gate's suggested lines for columns a policy does not classify. Each column whose name or
/// sampled values look personal (<see cref="PersonalData"/>) is masked with a strategy that fits its
/// type, the reason written as a YAML comment; keys and foreign keys are always kept (masking them
/// would break references); everything else is <c>keep</c>. What it writes loads with
/// <see cref="MaskingPolicyFile"/> and passes the gate on the database it was drafted from.
/// </summary>
public static partial class PolicyDraft
{
    /// <summary>Samples of one column's values (as text), or null when none were read.</summary>
    public delegate IReadOnlyList<string?>? Samples(CatalogTable table, CatalogColumn column);

    /// <summary>A complete policy for every table of the catalog.</summary>
    public static string Write(DatabaseCatalog catalog, Samples? samples)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var schemas = catalog.Tables.Select(t => t.Schema).Distinct(StringComparer.Ordinal).ToList();
        var engine = catalog.Engine == Capacity.EngineFamily.PostgreSql ? "PostgreSQL" : "MySQL";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            # Masking policy drafted by `qa-db masking init` from a {engine} database ({(schemas.Count == 0 ? "no tables" : (catalog.Engine == Capacity.EngineFamily.MySql ? "databases " : "schemas ") + string.Join(", ", schemas))}).
            # Closed world: every column of every table is classified, and the gate fails on any column this
            # file does not list. Review every line before relying on it: the heuristics read column names and
            # sampled values and can miss personal data; a `keep` is a decision, not a default.
            # Unqualified table names mean the connection's default schema (MySQL: its database).


            """);
        text.Append(catalog.Tables.Count == 0 ? "tables: {}\n" : "tables:\n");
        foreach (var table in catalog.Tables)
        {
            text.Append(TableBlock(table, catalog, samples));
        }

        return text.ToString();
    }

    /// <summary>The strategy for one column (keep when nothing personal is seen or nothing fits) and why.</summary>
    public static (MaskingStrategy Strategy, string? Reason) Suggest(CatalogTable table, CatalogColumn column, DatabaseCatalog catalog, IReadOnlyList<string?>? samples)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(catalog);
        var finding = PersonalData.ByName(table.Name, column.Name) is { } byName && PersonalData.StrategyFor(byName.Kind, column) is not null
            ? byName
            : samples is null ? null : PersonalData.BySamples(samples);
        if (finding is null || PersonalData.StrategyFor(finding.Kind, column) is not { } strategy)
        {
            return (MaskingStrategy.Keep, null);
        }

        if (KeyColumns.Of(table, catalog, null).TryGetValue(column.Name, out var why))
        {
            return (MaskingStrategy.Keep, $"{finding.Reason}, but it is a key ({why}): kept, since keys must not change");
        }

        return column.Generated
            ? (MaskingStrategy.Keep, $"{finding.Reason}, but it is generated from other columns: mask those")
            : (strategy, finding.Reason);
    }

    /// <summary>One table's block under <c>tables:</c>, every column classified.</summary>
    public static string TableBlock(CatalogTable table, DatabaseCatalog catalog, Samples? samples)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(catalog);
        var lines = table.Columns.Select(c => (Column: c, Suggestion: Suggest(table, c, catalog, samples?.Invoke(table, c)))).ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"  {Key(TableKey(table, catalog))}:\n");
        var masked = lines.Where(l => l.Suggestion.Strategy.Masks).ToList();
        if (masked.Count > 0 && table.PrimaryKey.Count == 0)
        {
            var kept = lines.Where(l => !l.Suggestion.Strategy.Masks && !l.Column.Generated).Select(l => l.Column.Name).ToList();
            if (kept.Count == 0)
            {
                // Nothing left to derive fakes from: no rows is the only masked form. (Keys cannot be
                // involved: a table with no primary key and nothing kept has no key columns.)
                var reasons = string.Join("; ", masked.Select(m => $"{m.Column.Name}: {m.Suggestion.Reason}"));
                text.Length = 0;
                text.Append(CultureInfo.InvariantCulture, $"  {Key(TableKey(table, catalog))}: truncate  # no primary key and every column looks personal ({Comment(reasons)})\n");
                return text.ToString();
            }

            text.Append(CultureInfo.InvariantCulture,
                $"    key: [{string.Join(", ", kept.Select(Key))}]  # no primary key: the kept columns identify a row (rows alike in all of them get the same fakes)\n");
        }

        text.Append("    columns:\n");
        foreach (var (column, (strategy, reason)) in lines)
        {
            text.Append(CultureInfo.InvariantCulture, $"      {ColumnLine(column.Name, strategy, reason)}\n");
        }

        return text.ToString();
    }

    /// <summary>How a policy names the table: unqualified in the connection's default schema, else schema.table.</summary>
    public static string TableKey(CatalogTable table, DatabaseCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(catalog);
        return table.Schema == catalog.DefaultSchema ? table.Name : table.QualifiedName;
    }

    /// <summary>One policy line, <c>column: strategy  # reason</c>.</summary>
    public static string ColumnLine(string column, MaskingStrategy strategy, string? reason)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        var value = strategy.Parameter is null ? strategy.Name : $"{{ {strategy.Name}: {Scalar(strategy.Parameter, strategy.Kind == StrategyKind.DateShift)} }}";
        return reason is null ? $"{Key(column)}: {value}" : $"{Key(column)}: {value}  # {Comment(reason)}";
    }

    /// <summary>A YAML mapping key: plain when it is a simple name YAML reads as text, else double-quoted.</summary>
    internal static string Key(string name) =>
        PlainKey().IsMatch(name) && !Reserved.Contains(name.ToLowerInvariant()) ? name : Quoted(name);

    private static string Scalar(string value, bool number) => number ? value : Quoted(value);

    private static string Quoted(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Comment(string text) => text.ReplaceLineEndings(" ");

    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~" };

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]*$")]
    private static partial Regex PlainKey();
}
