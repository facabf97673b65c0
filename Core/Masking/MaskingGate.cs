using System.Globalization;
using System.Net;
using System.Text.Json;

namespace QaDatabases.Masking;

/// <summary>The gate's verdict: every problem at once, and the plan when there are none.</summary>
/// <param name="Problems">Every problem, each naming the policy file (and line when the policy has one for it).</param>
/// <param name="Plan">The resolved plan; null unless the gate passed.</param>
/// <param name="Suggestion">Policy YAML for the tables the policy does not list yet, to paste under <c>tables:</c>; null when none.</param>
public sealed record GateResult(IReadOnlyList<string> Problems, MaskingPlan? Plan, string? Suggestion)
{
    public bool Passed => Problems.Count == 0;
}

/// <summary>
/// The gate in front of publishing a clone: compares a policy with the clone's catalog and refuses,
/// listing every problem at once, when
/// <list type="bullet">
/// <item>a column of a covered schema is not classified (each as <c>schema.table.column (type)</c> with
/// a suggested policy line), so a migration that adds <c>customers.phone_mobile</c> fails until someone
/// decides what it is;</item>
/// <item>the policy names a table or column the clone lacks (renamed or dropped: the policy is stale);</item>
/// <item>a strategy does not fit its column (<c>email</c> on an integer, <c>date-shift</c> on text,
/// <c>null</c> on NOT NULL, a <c>constant</c> that is not a value of the type or would repeat in a
/// unique column);</item>
/// <item>masking would change keys, row counts or references: a masked key, <c>key:</c> or foreign-key
/// column, a masked table with no key to derive values from, a truncated table that a table not
/// truncated references.</item>
/// </list>
/// A pure function of the policy and the catalog: the CLI reads the catalog, this decides.
/// </summary>
public static class MaskingGate
{
    public static GateResult Check(MaskingPolicy policy, DatabaseCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(catalog);
        var problems = new List<string>();
        var covered = (policy.Schemas ?? catalog.Tables.Select(t => t.Schema).Distinct(StringComparer.Ordinal)).ToHashSet(StringComparer.Ordinal);
        foreach (var schema in policy.Schemas ?? [])
        {
            if (!catalog.Tables.Any(t => t.Schema == schema))
            {
                problems.Add($"{policy.Path}: schemas: {schema} has no tables in the clone (misspelt, or not there); schemas with tables: {List(catalog.Tables.Select(t => t.Schema).Distinct(StringComparer.Ordinal))}");
            }
        }

        var listed = new Dictionary<(string Schema, string Table), TableRule>();
        var plans = new List<TablePlan>();
        foreach (var rule in policy.Tables)
        {
            var schema = rule.Name.Schema ?? catalog.DefaultSchema;
            if (schema is null)
            {
                problems.Add($"{policy.At(rule.Line)}: table {rule.Name}: unqualified, but the connection has no default schema (MySQL: name a database in the connection string); write schema.table");
                continue;
            }

            var qualified = $"{schema}.{rule.Name.Table}";
            if (listed.TryGetValue((schema, rule.Name.Table), out var earlier))
            {
                problems.Add($"{policy.At(rule.Line)}: table {qualified} is listed twice (also on line {earlier.Line.ToString(CultureInfo.InvariantCulture)}); keep one");
                continue;
            }

            listed[(schema, rule.Name.Table)] = rule;
            if (!covered.Contains(schema))
            {
                problems.Add($"{policy.At(rule.Line)}: table {qualified}: schema {schema} is not covered (schemas: {List(covered)}); add it to schemas: or remove the table");
                continue;
            }

            if (catalog.Table(schema, rule.Name.Table) is not { } table)
            {
                var unlisted = catalog.Tables.Where(t => t.Schema == schema && !policy.Tables.Any(r => Names(r, t, catalog))).Select(t => t.Name).ToList();
                problems.Add($"{policy.At(rule.Line)}: table {qualified}: the clone has no such table (renamed or dropped?), so the policy is stale; remove or rename it"
                    + (unlisted.Count > 0 ? $" (tables of {schema} the policy does not list: {List(unlisted)})" : ""));
                continue;
            }

            if (CheckTable(policy, catalog, table, rule, problems) is { } plan)
            {
                plans.Add(plan);
            }
        }

        var missing = catalog.Tables.Where(t => covered.Contains(t.Schema) && !listed.ContainsKey((t.Schema, t.Name))).ToList();
        foreach (var table in missing)
        {
            foreach (var column in table.Columns)
            {
                var (strategy, reason) = PolicyDraft.Suggest(table, column, catalog, samples: null);
                problems.Add($"{policy.Path}: unclassified column {table.QualifiedName}.{column.Name} ({column.Type}) in table {table.QualifiedName}, which the policy does not list; suggested policy line under {PolicyDraft.TableKey(table, catalog)}: columns:  {PolicyDraft.ColumnLine(column.Name, strategy, reason)}");
            }
        }

        var suggestion = missing.Count > 0 ? string.Concat(missing.Select(t => PolicyDraft.TableBlock(t, catalog, samples: null))) : null;
        return problems.Count > 0
            ? new GateResult(problems, null, suggestion)
            : new GateResult([], new MaskingPlan(policy, catalog, plans), null);
    }

    private static bool Names(TableRule rule, CatalogTable table, DatabaseCatalog catalog) =>
        rule.Name.Table == table.Name && (rule.Name.Schema ?? catalog.DefaultSchema) == table.Schema;

    private static TablePlan? CheckTable(MaskingPolicy policy, DatabaseCatalog catalog, CatalogTable table, TableRule rule, List<string> problems)
    {
        var q = table.QualifiedName;
        switch (rule)
        {
            case KeepAllTable keepAll:
                return new KeepAllPlan(table, keepAll);
            case TruncateTable truncate:
                {
                    var truncated = policy.Tables.OfType<TruncateTable>().ToList();
                    var blocking = KeyColumns.ReferencesTo(table, catalog)
                        .Where(f => !truncated.Any(t => t.Name.Table == f.Table && (t.Name.Schema ?? catalog.DefaultSchema) == f.Schema))
                        .ToList();
                    foreach (var foreignKey in blocking)
                    {
                        problems.Add($"{policy.At(rule.Line)}: table {q}: truncate would break the foreign key from {foreignKey.Schema}.{foreignKey.Table} ({List(foreignKey.Columns)}), which is not truncated; truncate {foreignKey.Schema}.{foreignKey.Table} too, or mask {q} column by column");
                    }

                    return blocking.Count == 0 ? new TruncatePlan(table, truncate) : null;
                }

            case MaskTable mask:
                return CheckMaskTable(policy, catalog, table, mask, problems);
            default:
                throw new InvalidOperationException($"unknown table rule {rule.GetType().Name}");
        }
    }

    private static MaskPlan? CheckMaskTable(MaskingPolicy policy, DatabaseCatalog catalog, CatalogTable table, MaskTable rule, List<string> problems)
    {
        var before = problems.Count;
        var q = table.QualifiedName;
        var unclassified = table.Columns.Where(c => !rule.Columns.Any(r => r.Column == c.Name)).ToList();
        foreach (var columnRule in rule.Columns.Where(r => table.Column(r.Column) is null))
        {
            problems.Add($"{policy.At(columnRule.Line)}: column {q}.{columnRule.Column}: the clone has no such column (renamed or dropped?), so the policy is stale; remove or rename it"
                + (unclassified.Count > 0 ? $" (unclassified columns of {q}: {List(unclassified.Select(c => c.Name))})" : ""));
        }

        foreach (var column in unclassified)
        {
            var (strategy, reason) = PolicyDraft.Suggest(table, column, catalog, samples: null);
            problems.Add($"{policy.At(rule.Line)}: unclassified column {q}.{column.Name} ({column.Type}); add it to {q}'s columns:  {PolicyDraft.ColumnLine(column.Name, strategy, reason)}");
        }

        foreach (var keyColumn in rule.Key ?? [])
        {
            if (table.Column(keyColumn) is null)
            {
                problems.Add($"{policy.At(rule.KeyLine)}: table {q}: key: {keyColumn} is not a column of the table; its columns: {List(table.Columns.Select(c => c.Name))}");
            }
        }

        var keyNames = rule.Key ?? table.PrimaryKey;
        var masked = rule.Columns.Where(r => r.Strategy.Masks && table.Column(r.Column) is not null).ToList();
        if (masked.Count > 0 && keyNames.Count == 0)
        {
            problems.Add($"{policy.At(rule.Line)}: table {q} masks {List(masked.Select(m => m.Column))} but has no primary key to derive the fakes from; name the kept column(s) that identify a row with key: [...], or truncate the table");
        }

        var protectedColumns = KeyColumns.Of(table, catalog, rule.Key);
        foreach (var columnRule in masked)
        {
            var column = table.Column(columnRule.Column)!;
            var at = $"{policy.At(columnRule.Line)}: {q}.{column.Name} ({column.Type})";
            if (protectedColumns.TryGetValue(column.Name, out var why))
            {
                problems.Add($"{at}: {columnRule.Strategy.Name} on a key column ({why}); keys, row counts and foreign keys must not change, so keep it");
            }
            else if (column.Generated)
            {
                problems.Add($"{at}: a generated column, which the database computes from other columns and cannot be written; keep it and mask the columns it is computed from");
            }
            else if (Misfit(columnRule.Strategy, column) is { } misfit)
            {
                problems.Add($"{at}: {misfit}");
            }
        }

        if (problems.Count > before)
        {
            return null;
        }

        var strategies = rule.Columns.ToDictionary(r => r.Column, r => r.Strategy, StringComparer.Ordinal);
        return new MaskPlan(
            table,
            rule,
            keyNames.Select(k => table.Column(k)!).ToList(),
            table.Columns.Where(c => strategies[c.Name].Masks).Select(c => new MaskedColumn(c, strategies[c.Name])).ToList(),
            table.Columns.Where(c => !strategies[c.Name].Masks).ToList());
    }

    /// <summary>Why <paramref name="strategy"/> cannot write <paramref name="column"/>, or null when it fits.</summary>
    internal static string? Misfit(MaskingStrategy strategy, CatalogColumn column) => Misfit(strategy, column, alternatives: true);

    private static string? Misfit(MaskingStrategy strategy, CatalogColumn column, bool alternatives)
    {
        var info = StrategyCatalog.Of(strategy.Kind);
        var fitting = alternatives ? $" Strategies for this column: {FittingStrategies(column)}" : "";
        if (info.WritesText && column.Family != TypeFamily.Text)
        {
            return $"{info.Name} writes text, which does not fit a {Describe(column.Family)} column; it fits character columns (text, varchar, char).{fitting}";
        }

        return strategy.Kind switch
        {
            StrategyKind.DateShift when column.Family is not (TypeFamily.Date or TypeFamily.Timestamp) =>
                $"date-shift moves dates, which does not fit a {Describe(column.Family)} column; it fits date and timestamp columns.{fitting}",
            StrategyKind.Null when !column.Nullable => "null needs a nullable column, and this one is NOT NULL; use constant, or a strategy that writes a value",
            StrategyKind.Constant when column.Unique => "constant writes one value to every row, but the column is unique; use a strategy derived from the key (text, email) or hash",
            StrategyKind.Constant => ConstantMisfit(strategy.Parameter!, column),
            StrategyKind.Name or StrategyKind.PostalCode or StrategyKind.Phone when column.Unique =>
                $"{info.Name} repeats values across rows, but the column is unique; use text or email, which include the row's key, or hash",
            StrategyKind.Hash when column.MaxLength is < HashMinimumLength =>
                $"hash writes a 64-character hex digest and keeps at least {HashMinimumLength} characters of it; this column holds only {column.MaxLength.Value.ToString(CultureInfo.InvariantCulture)}",
            _ => null,
        };
    }

    /// <summary>A digest cut below 16 hex characters (64 bits) would collide and could be guessed.</summary>
    public const int HashMinimumLength = 16;

    private static string? ConstantMisfit(string value, CatalogColumn column)
    {
        var fits = column.Family switch
        {
            TypeFamily.Text => column.MaxLength is null || value.Length <= column.MaxLength,
            TypeFamily.Integral => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            TypeFamily.Numeric or TypeFamily.FloatingPoint => decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            TypeFamily.Boolean => value.ToLowerInvariant() is "true" or "false" or "t" or "f" or "yes" or "no" or "on" or "off" or "1" or "0",
            TypeFamily.Date => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            TypeFamily.Timestamp => DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _),
            TypeFamily.Uuid => Guid.TryParse(value, out _),
            TypeFamily.Network => IPAddress.TryParse(value.Split('/')[0], out _),
            TypeFamily.Json => IsJson(value),
            _ => true, // enums and other types: the database checks the value when the table is masked
        };
        return fits
            ? null
            : column.Family == TypeFamily.Text
                ? $"constant '{value}' has {value.Length.ToString(CultureInfo.InvariantCulture)} characters; the column holds {column.MaxLength!.Value.ToString(CultureInfo.InvariantCulture)}"
                : $"constant '{value}' is not a {Describe(column.Family)} value (e.g. {Example(column.Family)})";
    }

    private static bool IsJson(string value)
    {
        try
        {
            using var _ = JsonDocument.Parse(value);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string FittingStrategies(CatalogColumn column) => List(StrategyCatalog.All
        .Where(i => i.Kind is not (StrategyKind.Constant or StrategyKind.Sql or StrategyKind.Keep))
        .Where(i => Misfit(new MaskingStrategy(i.Kind, i.Kind == StrategyKind.DateShift ? "1" : i.ParameterName is null ? null : "x"), column, alternatives: false) is null)
        .Select(i => i.Name)
        .Append("constant")
        .Append("sql")
        .Prepend("keep"));

    private static string Describe(TypeFamily family) => family switch
    {
        TypeFamily.Integral => "integer",
        TypeFamily.Numeric => "decimal",
        TypeFamily.FloatingPoint => "floating-point",
        TypeFamily.Boolean => "boolean",
        TypeFamily.Date => "date",
        TypeFamily.Timestamp => "timestamp",
        TypeFamily.Json => "JSON",
        TypeFamily.Uuid => "UUID",
        TypeFamily.Network => "network address",
        TypeFamily.Binary => "binary",
        TypeFamily.Enum => "enum",
        TypeFamily.Text => "text",
        _ => "non-text",
    };

    private static string Example(TypeFamily family) => family switch
    {
        TypeFamily.Integral => "0",
        TypeFamily.Numeric or TypeFamily.FloatingPoint => "0.00",
        TypeFamily.Boolean => "false",
        TypeFamily.Date => "2000-01-01",
        TypeFamily.Timestamp => "2000-01-01T00:00:00Z",
        TypeFamily.Uuid => "00000000-0000-0000-0000-000000000000",
        TypeFamily.Network => PersonalData.ExampleIp,
        TypeFamily.Json => "{}",
        _ => "a value of the type",
    };

    private static string List(IEnumerable<string> items) => string.Join(", ", items);
}
