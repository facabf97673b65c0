using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace QaDatabases.Masking;

/// <summary>
/// Reads a masking policy file. YamlDotNet's representation model keeps every node's line, so each
/// problem names the file and line it is on. Everything that can be checked without a database is
/// checked here (shape, strategy names, parameters, <c>sql:</c> confinement); what needs the clone's
/// catalog (unknown tables, types, keys) is the gate's job (<see cref="MaskingGate"/>).
/// </summary>
/// <remarks>
/// The format, closed world:
/// <code>
/// schemas: [public]            # optional; default: every non-system schema (MySQL: database)
/// tables:
///   customers:                 # unqualified: the connection's default schema (public, or MySQL's database)
///     key: [id]                # optional; default: the primary key
///     columns:
///       id: keep
///       email: email
///       notes: { text: "note-" }
///   sessions: truncate
///   countries: { keep-all: "reference data" }
/// </code>
/// </remarks>
public static class MaskingPolicyFile
{
    /// <summary>The schema (MySQL: database) the tool owns for its ledger; a policy may not name it.</summary>
    public const string ToolSchema = "qa_db";

    private const string TopLevelKeys = "schemas, tables";

    /// <summary>Reads and validates the policy file at <paramref name="path"/> (as given: messages repeat it).</summary>
    public static MaskingPolicy Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string content;
        try
        {
            content = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MaskingPolicyException($"{path}: cannot read the masking policy: {e.Message}");
        }

        return Parse(path, content);
    }

    /// <summary>Validates policy text that the caller already has; <paramref name="path"/> is only for messages.</summary>
    public static MaskingPolicy Parse(string path, string content)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(content);
        var problems = new List<string>();
        void Problem(YamlNode? node, string message) => problems.Add($"{path}:{Line(node)}: {message}");

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(content));
        }
        catch (YamlException e)
        {
            throw new MaskingPolicyException(
                $"{path}:{e.Start.Line.ToString(CultureInfo.InvariantCulture)}: not valid YAML ({e.Message}); a policy is a YAML mapping with tables: (see masking/policy.yaml)");
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var node = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
            throw new MaskingPolicyException($"{path}:{Line(node)}: a policy is one YAML mapping with the keys {TopLevelKeys}; found {Describe(node)}");
        }

        IReadOnlyList<string>? schemas = null;
        YamlMappingNode? tables = null;
        foreach (var (keyNode, value) in root.Children)
        {
            switch (ScalarText(keyNode))
            {
                case "schemas":
                    schemas = ReadSchemas(value, Problem);
                    break;
                case "tables":
                    // An empty mapping ({}) is a policy for a database without tables; the gate
                    // still lists every table that appears later.
                    if (value is YamlMappingNode mapping)
                    {
                        tables = mapping;
                    }
                    else
                    {
                        Problem(value, $"tables: must map each table to its rule; found {Describe(value)}");
                    }

                    break;
                default:
                    Problem(keyNode, $"'{ScalarText(keyNode)}' is not a policy key; allowed: {TopLevelKeys}");
                    break;
            }
        }

        var rules = new List<TableRule>();
        if (tables is null && !problems.Any(p => p.Contains("tables:", StringComparison.Ordinal)))
        {
            Problem(root, "no tables: a policy lists every table of the schemas it covers, each as truncate, { keep-all: REASON } or its columns:");
        }

        foreach (var (keyNode, value) in tables?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
        {
            if (ReadTableName(keyNode, Problem) is { } name)
            {
                if (ReadTable(name, keyNode, value, Problem) is { } rule)
                {
                    rules.Add(rule);
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new MaskingPolicyException(problems);
        }

        return new MaskingPolicy(path, MaskingPolicy.Fingerprint(content), schemas, rules);
    }

    private static List<string>? ReadSchemas(YamlNode value, Action<YamlNode?, string> problem)
    {
        if (value is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            problem(value, $"schemas: must be a list of schema names (MySQL: databases), e.g. [public]; found {Describe(value)}. Leave it out to cover every non-system schema");
            return null;
        }

        var schemas = new List<string>();
        foreach (var item in sequence.Children)
        {
            var name = ScalarText(item);
            if (string.IsNullOrEmpty(name))
            {
                problem(item, $"schemas: each item must be a schema name; found {Describe(item)}");
            }
            else if (name == ToolSchema)
            {
                problem(item, $"schemas: {ToolSchema} holds the tool's masking ledger and is never masked or listed");
            }
            else
            {
                schemas.Add(name);
            }
        }

        return schemas;
    }

    private static PolicyTableName? ReadTableName(YamlNode keyNode, Action<YamlNode?, string> problem)
    {
        var text = ScalarText(keyNode);
        var parts = text?.Split('.') ?? [];
        if (string.IsNullOrEmpty(text) || parts.Length > 2 || parts.Any(string.IsNullOrEmpty))
        {
            problem(keyNode, $"'{text}' is not a table name; write schema.table, or table for the connection's default schema");
            return null;
        }

        if (parts.Length == 2 && parts[0] == ToolSchema)
        {
            problem(keyNode, $"{text}: schema {ToolSchema} holds the tool's masking ledger; it is excluded from the gate and may not be listed");
            return null;
        }

        return parts.Length == 2 ? new PolicyTableName(parts[0], parts[1]) : new PolicyTableName(null, parts[0]);
    }

    private static TableRule? ReadTable(PolicyTableName name, YamlNode keyNode, YamlNode value, Action<YamlNode?, string> problem)
    {
        var line = Line(keyNode);
        const string Allowed = "truncate, { keep-all: REASON }, or a mapping with columns: (and optionally key:)";
        switch (value)
        {
            case YamlScalarNode scalar when scalar.Value == "truncate":
                return new TruncateTable(name, line);
            case YamlScalarNode scalar:
                problem(value, $"table {name}: '{scalar.Value}' is not a table rule; allowed: {Allowed}");
                return null;
            case YamlMappingNode mapping when mapping.Children.Count == 1 && ScalarText(mapping.Children[0].Key) == "keep-all":
                {
                    var reason = ScalarText(mapping.Children[0].Value);
                    if (string.IsNullOrWhiteSpace(reason))
                    {
                        problem(mapping.Children[0].Value, $"table {name}: keep-all needs its reason, e.g. {{ keep-all: \"reference data, no personal data\" }}, so an auditor can see why nothing is masked");
                        return null;
                    }

                    return new KeepAllTable(name, line, reason);
                }

            case YamlMappingNode mapping:
                return ReadMaskTable(name, line, mapping, problem);
            default:
                problem(value, $"table {name}: found {Describe(value)}; allowed: {Allowed}");
                return null;
        }
    }

    private static MaskTable? ReadMaskTable(PolicyTableName name, int line, YamlMappingNode mapping, Action<YamlNode?, string> problem)
    {
        IReadOnlyList<string>? key = null;
        var keyLine = 0;
        YamlMappingNode? columns = null;
        var ok = true;
        foreach (var (entryKey, entryValue) in mapping.Children)
        {
            switch (ScalarText(entryKey))
            {
                case "key":
                    keyLine = Line(entryKey);
                    key = ReadKey(name, entryValue, problem);
                    ok &= key is not null;
                    break;
                case "columns":
                    if (entryValue is YamlMappingNode c && c.Children.Count > 0)
                    {
                        columns = c;
                    }
                    else
                    {
                        problem(entryValue, $"table {name}: columns: must map every column of the table to keep or a strategy; found {Describe(entryValue)}");
                        ok = false;
                    }

                    break;
                case "keep-all":
                case "truncate":
                    problem(entryKey, $"table {name}: {ScalarText(entryKey)} stands alone (the whole table); it cannot be combined with key: or columns:");
                    ok = false;
                    break;
                default:
                    problem(entryKey, $"table {name}: '{ScalarText(entryKey)}' is not a table key; allowed: columns, key (or the table rules truncate and {{ keep-all: REASON }})");
                    ok = false;
                    break;
            }
        }

        if (columns is null)
        {
            if (ok)
            {
                problem(mapping, $"table {name}: no columns:; list every column as keep or a strategy ({StrategyCatalog.Names})");
            }

            return null;
        }

        var rules = new List<ColumnRule>();
        foreach (var (columnKey, columnValue) in columns.Children)
        {
            var column = ScalarText(columnKey);
            if (string.IsNullOrEmpty(column))
            {
                problem(columnKey, $"table {name}: '{column}' is not a column name");
                ok = false;
                continue;
            }

            if (ReadStrategy($"{name}.{column}", columnValue, problem) is { } strategy)
            {
                rules.Add(new ColumnRule(column, strategy, Line(columnKey)));
            }
            else
            {
                ok = false;
            }
        }

        return ok ? new MaskTable(name, line, key, keyLine, rules) : null;
    }

    private static List<string>? ReadKey(PolicyTableName name, YamlNode value, Action<YamlNode?, string> problem)
    {
        var items = value switch
        {
            YamlScalarNode scalar => [scalar],
            YamlSequenceNode sequence => sequence.Children.ToList(),
            _ => [],
        };
        var key = items.Select(ScalarText).ToList();
        if (key.Count == 0 || key.Any(string.IsNullOrEmpty))
        {
            problem(value, $"table {name}: key: must name the column(s) that identify a row, e.g. key: [id] or key: [order_id, line_no]; found {Describe(value)}");
            return null;
        }

        return key!;
    }

    private static MaskingStrategy? ReadStrategy(string column, YamlNode value, Action<YamlNode?, string> problem)
    {
        switch (value)
        {
            case YamlScalarNode scalar:
                {
                    var text = scalar.Value ?? "";
                    if (text.Length == 0 || (text == "~" && scalar.Style == YamlDotNet.Core.ScalarStyle.Plain))
                    {
                        problem(value, $"{column}: no strategy; write keep or one of: {StrategyCatalog.Names}");
                        return null;
                    }

                    // YAML reads a bare `null` as "no value"; in a policy it is the strategy that writes NULL.
                    var info = StrategyCatalog.Named(text);
                    if (info is null)
                    {
                        problem(value, $"{column}: unknown strategy '{text}'; allowed: {StrategyCatalog.Names}");
                        return null;
                    }

                    if (info.ParameterName is not null)
                    {
                        problem(value, $"{column}: {info.Name} needs a parameter ({info.ParameterName}), e.g. {info.Example}");
                        return null;
                    }

                    return new MaskingStrategy(info.Kind);
                }

            case YamlMappingNode mapping when mapping.Children.Count == 1:
                {
                    var (nameNode, parameterNode) = mapping.Children[0];
                    var name = ScalarText(nameNode) ?? "";
                    var info = StrategyCatalog.Named(name);
                    if (info is null)
                    {
                        problem(nameNode, $"{column}: unknown strategy '{name}'; allowed: {StrategyCatalog.Names}");
                        return null;
                    }

                    if (info.ParameterName is null)
                    {
                        problem(nameNode, $"{column}: {info.Name} takes no parameter; write {column.Split('.')[^1]}: {info.Name}");
                        return null;
                    }

                    if (parameterNode is not YamlScalarNode parameterScalar)
                    {
                        problem(parameterNode, $"{column}: {info.Name} needs one value ({info.ParameterName}); found {Describe(parameterNode)}");
                        return null;
                    }

                    var parameter = parameterScalar.Value ?? "";
                    var plainNull = parameterScalar.Style == YamlDotNet.Core.ScalarStyle.Plain && parameter is "" or "~" or "null";
                    if (ParameterProblem(info.Kind, parameter, plainNull) is { } why)
                    {
                        problem(parameterNode, $"{column}: {info.Name}: {why}");
                        return null;
                    }

                    return new MaskingStrategy(info.Kind, parameter);
                }

            default:
                problem(value, $"{column}: found {Describe(value)}; write keep, a strategy, or {{ strategy: parameter }}; allowed: {StrategyCatalog.Names}");
                return null;
        }
    }

    private static string? ParameterProblem(StrategyKind kind, string parameter, bool plainNull) => kind switch
    {
        StrategyKind.Text when plainNull || parameter.Length == 0 => "missing parameter: the prefix written before the row's key, e.g. { text: \"note-\" }",
        StrategyKind.DateShift when !int.TryParse(parameter, NumberStyles.None, CultureInfo.InvariantCulture, out var days)
            || days < 1 || days > StrategyCatalog.MaxShiftDays =>
            $"'{parameter}' is not a number of days; write a whole number from 1 to {StrategyCatalog.MaxShiftDays}, e.g. {{ date-shift: 30 }}",
        StrategyKind.Constant when plainNull => "missing parameter: the value to write, e.g. { constant: active }; to write NULL use the strategy null",
        StrategyKind.Sql when plainNull || parameter.Trim().Length == 0 => "missing parameter: an expression for the column's new value, e.g. { sql: \"'{}'\" }",
        StrategyKind.Sql => SqlExpressionGuard.Problem(parameter),
        _ => null,
    };

    private static string? ScalarText(YamlNode? node) => (node as YamlScalarNode)?.Value;

    private static int Line(YamlNode? node) => node is null ? 1 : (int)Math.Max(1, node.Start.Line);

    private static string Describe(YamlNode? node) => node switch
    {
        null => "an empty file",
        YamlScalarNode { Value: null or "" } => "nothing",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "something else",
    };
}
