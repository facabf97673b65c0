using System.Globalization;
using QaDatabases.Capacity;

namespace QaDatabases.Masking;

/// <summary>
/// The SQL of one engine: quoting, parameters and the few functions masking needs, using only
/// built-in functions (no extension, no plugin), so it runs on any Aurora clone as it comes.
/// Identifiers are always quoted (PostgreSQL <c>"..."</c>, MySQL <c>`...`</c>, the quote doubled
/// inside); the only literals spliced into statements are this class's own constants.
/// </summary>
public abstract class SqlDialect
{
    public static SqlDialect For(EngineFamily engine) => engine switch
    {
        EngineFamily.PostgreSql => PostgreSqlDialect.Instance,
        EngineFamily.MySql => MySqlDialect.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
    };

    public abstract EngineFamily Engine { get; }

    public abstract string Quote(string identifier);

    public string Table(string schema, string table) => $"{Quote(schema)}.{Quote(table)}";

    public string Table(CatalogTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Table(table.Schema, table.Name);
    }

    /// <summary>A new parameter list for one statement, in this engine's placeholder style.</summary>
    internal abstract Parameters NewParameters();

    /// <summary>A string literal of this class's own constants (never of input: those are parameters).</summary>
    internal static string Literal(string text)
    {
        if (text.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException("literals with backslashes read differently on the two engines", nameof(text));
        }

        return "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    internal static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The row's key as text: one column, or the columns joined by '-'.</summary>
    internal abstract string KeyText(IReadOnlyList<CatalogColumn> key);

    /// <summary>The row's key as a whole number: the key itself when it is one integer column, else 32 bits of its MD5.</summary>
    internal abstract string KeyNumber(IReadOnlyList<CatalogColumn> key);

    internal abstract string Md5Hex(string text);

    internal abstract string Substring(string text, int start, int length);

    /// <summary>A remainder from 0 to <paramref name="modulus"/> - 1 even for negative keys.</summary>
    internal abstract string Mod(string number, long modulus);

    internal abstract string Div(string number, long divisor);

    internal abstract string Concat(params string[] parts);

    internal abstract string ZeroPad(string number, int width);

    internal abstract string Left(string text, int length);

    internal abstract string Pick(IReadOnlyList<string> words, string index);

    internal abstract string Sha256Hex(string saltPlaceholder, string column);

    internal abstract string AddDays(string column, TypeFamily family, string days);

    /// <summary>The value cast to the column's own type (PostgreSQL needs it; MySQL converts on assignment).</summary>
    internal abstract string CastTo(string value, CatalogColumn column);

    internal abstract string IsLowerHex(string column, int length);

    /// <summary>Deletes every row of the tables in one transaction: the statements, in order.</summary>
    internal abstract IReadOnlyList<string> Truncate(IReadOnlyList<CatalogTable> tables);

    /// <summary>Creates the ledger schema and table when missing (DDL; run before any table transaction).</summary>
    public abstract IReadOnlyList<string> LedgerSetup { get; }

    /// <summary>One value: whether the ledger table exists, so read-only commands never create it.</summary>
    public abstract string LedgerExists { get; }

    /// <summary>Every ledger row: schema, table, column, rule, policy fingerprint.</summary>
    public string LedgerRead =>
        $"SELECT schema_name, table_name, column_name, rule, policy_fingerprint FROM {Table(MaskingPolicyFile.ToolSchema, LedgerTable)}";

    /// <summary>Inserts the ledger rows, replacing those of the same columns (a re-run under a changed rule).</summary>
    internal string LedgerUpsert(Parameters parameters, IReadOnlyList<LedgerEntry> entries) =>
        $"INSERT INTO {Table(MaskingPolicyFile.ToolSchema, LedgerTable)} (schema_name, table_name, column_name, rule, policy_fingerprint) VALUES "
        + string.Join(", ", entries.Select(e =>
            $"({parameters.Add(e.Schema)}, {parameters.Add(e.Table)}, {parameters.Add(e.Column)}, {parameters.Add(e.Rule)}, {parameters.Add(e.PolicyFingerprint)})"))
        + " " + LedgerReplace;

    /// <summary>The engine's clause that turns the ledger's INSERT into an upsert.</summary>
    protected abstract string LedgerReplace { get; }

    /// <summary>The ledger's table, in <see cref="MaskingPolicyFile.ToolSchema"/>.</summary>
    public const string LedgerTable = "masking_ledger";

    /// <summary>Placeholders and values of one statement.</summary>
    internal abstract class Parameters
    {
        private readonly List<SqlParameter> _list = [];

        public IReadOnlyList<SqlParameter> List => _list;

        public string Add(object? value)
        {
            var placeholder = Placeholder(_list.Count);
            _list.Add(new SqlParameter(Name(_list.Count), value));
            return placeholder;
        }

        protected abstract string Placeholder(int index);

        protected abstract string? Name(int index);
    }
}

/// <summary>PostgreSQL (Aurora PostgreSQL): <c>sha256()</c>, <c>md5()</c>, <c>encode</c>, transactional TRUNCATE.</summary>
internal sealed class PostgreSqlDialect : SqlDialect
{
    public static readonly PostgreSqlDialect Instance = new();

    public override EngineFamily Engine => EngineFamily.PostgreSql;

    public override string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    internal override Parameters NewParameters() => new Positional();

    internal override string KeyText(IReadOnlyList<CatalogColumn> key) => key.Count == 1
        ? $"{Quote(key[0].Name)}::text"
        : $"concat_ws('-', {string.Join(", ", key.Select(c => $"{Quote(c.Name)}::text"))})";

    internal override string KeyNumber(IReadOnlyList<CatalogColumn> key) => key is [{ Family: TypeFamily.Integral } single]
        ? Quote(single.Name)
        : $"('x' || {Substring(Md5Hex(KeyText(key)), 1, 8)})::bit(32)::bigint";

    internal override string Md5Hex(string text) => $"md5({text})";

    internal override string Substring(string text, int start, int length) => $"substr({text}, {start}, {length})";

    internal override string Mod(string number, long modulus) => $"mod(mod({number}, {Number(modulus)}) + {Number(modulus)}, {Number(modulus)})";

    internal override string Div(string number, long divisor) => $"({number}) / {Number(divisor)}";

    internal override string Concat(params string[] parts) => string.Join(" || ", parts);

    internal override string ZeroPad(string number, int width) => $"lpad(({number})::text, {width}, '0')";

    internal override string Left(string text, int length) => $"left({text}, {length})";

    internal override string Pick(IReadOnlyList<string> words, string index) =>
        $"(ARRAY[{string.Join(", ", words.Select(Literal))}])[1 + {index}]";

    internal override string Sha256Hex(string saltPlaceholder, string column) =>
        $"encode(sha256(convert_to({saltPlaceholder} || {column}::text, 'UTF8')), 'hex')";

    internal override string AddDays(string column, TypeFamily family, string days) =>
        family == TypeFamily.Date ? $"{column} + ({days})::int" : $"{column} + ({days}) * interval '1 day'";

    internal override string CastTo(string value, CatalogColumn column) => $"CAST({value} AS {column.Type})";

    internal override string IsLowerHex(string column, int length) => $"{column}::text ~ '^[0-9a-f]{{{length}}}$'";

    internal override IReadOnlyList<string> Truncate(IReadOnlyList<CatalogTable> tables) =>
        [$"TRUNCATE TABLE {string.Join(", ", tables.Select(Table))}"];

    public override IReadOnlyList<string> LedgerSetup { get; } =
    [
        $"CREATE SCHEMA IF NOT EXISTS {MaskingPolicyFile.ToolSchema}",
        $"""
        CREATE TABLE IF NOT EXISTS {MaskingPolicyFile.ToolSchema}.{LedgerTable} (
            schema_name text NOT NULL,
            table_name text NOT NULL,
            column_name text NOT NULL,
            rule text NOT NULL,
            policy_fingerprint text NOT NULL,
            masked_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (schema_name, table_name, column_name))
        """,
    ];

    public override string LedgerExists => $"SELECT to_regclass('{MaskingPolicyFile.ToolSchema}.{LedgerTable}') IS NOT NULL";

    protected override string LedgerReplace =>
        "ON CONFLICT (schema_name, table_name, column_name) DO UPDATE SET rule = EXCLUDED.rule, policy_fingerprint = EXCLUDED.policy_fingerprint, masked_at = now()";

    private sealed class Positional : Parameters
    {
        protected override string Placeholder(int index) => "$" + (index + 1).ToString(CultureInfo.InvariantCulture);

        protected override string? Name(int index) => null;
    }
}

/// <summary>
/// MySQL (Aurora MySQL 3, tested on MariaDB): <c>SHA2</c>, <c>MD5</c>, <c>CONV</c>. MySQL's TRUNCATE
/// is DDL and commits implicitly, so rows are removed with DELETE inside the transaction.
/// </summary>
internal sealed partial class MySqlDialect : SqlDialect
{
    public static readonly MySqlDialect Instance = new();

    public override EngineFamily Engine => EngineFamily.MySql;

    public override string Quote(string identifier) => "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";

    internal override Parameters NewParameters() => new Named();

    internal override string KeyText(IReadOnlyList<CatalogColumn> key) => key.Count == 1
        ? $"CAST({Quote(key[0].Name)} AS CHAR)"
        : $"CONCAT_WS('-', {string.Join(", ", key.Select(c => Quote(c.Name)))})";

    // SIGNED throughout: MySQL refuses arithmetic that takes an UNSIGNED value below zero.
    internal override string KeyNumber(IReadOnlyList<CatalogColumn> key) => key is [{ Family: TypeFamily.Integral } single]
        ? $"CAST({Quote(single.Name)} AS SIGNED)"
        : $"CAST(CONV({Substring(Md5Hex(KeyText(key)), 1, 8)}, 16, 10) AS SIGNED)";

    internal override string Md5Hex(string text) => $"MD5({text})";

    internal override string Substring(string text, int start, int length) => $"SUBSTRING({text}, {start}, {length})";

    internal override string Mod(string number, long modulus) => $"MOD(MOD({number}, {Number(modulus)}) + {Number(modulus)}, {Number(modulus)})";

    internal override string Div(string number, long divisor) => $"({number}) DIV {Number(divisor)}";

    internal override string Concat(params string[] parts) => $"CONCAT({string.Join(", ", parts)})";

    internal override string ZeroPad(string number, int width) => $"LPAD({number}, {width}, '0')";

    internal override string Left(string text, int length) => $"LEFT({text}, {length})";

    internal override string Pick(IReadOnlyList<string> words, string index) => $"ELT(1 + {index}, {string.Join(", ", words.Select(Literal))})";

    internal override string Sha256Hex(string saltPlaceholder, string column) => $"SHA2(CONCAT({saltPlaceholder}, {column}), 256)";

    internal override string AddDays(string column, TypeFamily family, string days) => $"{column} + INTERVAL ({days}) DAY";

    // Assignment converts by itself; a comparison needs both sides in one collation, so the value
    // takes the column's (names from the catalog, checked to be plain names before they are spliced).
    internal override string CastTo(string value, CatalogColumn column) =>
        column.Collation is var (characterSet, collation) && PlainName().IsMatch(characterSet) && PlainName().IsMatch(collation)
            ? $"CONVERT({value} USING {characterSet}) COLLATE {collation}"
            : value;

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial System.Text.RegularExpressions.Regex PlainName();

    // BINARY: a case-insensitive collation would let upper-case hex pass.
    internal override string IsLowerHex(string column, int length) => $"CAST({column} AS BINARY) REGEXP '^[0-9a-f]{{{length}}}$'";

    // Every table that references these is among them (the gate checks), so foreign key checks are
    // off only while they are emptied together, in this session and this transaction.
    internal override IReadOnlyList<string> Truncate(IReadOnlyList<CatalogTable> tables) =>
        ["SET SESSION foreign_key_checks = 0", .. tables.Select(t => $"DELETE FROM {Table(t)}"), "SET SESSION foreign_key_checks = 1"];

    public override IReadOnlyList<string> LedgerSetup { get; } =
    [
        $"CREATE DATABASE IF NOT EXISTS {MaskingPolicyFile.ToolSchema}",
        $"""
        CREATE TABLE IF NOT EXISTS {MaskingPolicyFile.ToolSchema}.{LedgerTable} (
            schema_name VARCHAR(64) NOT NULL,
            table_name VARCHAR(64) NOT NULL,
            column_name VARCHAR(64) NOT NULL,
            rule TEXT NOT NULL,
            policy_fingerprint CHAR(64) NOT NULL,
            masked_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
            PRIMARY KEY (schema_name, table_name, column_name)
        ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin
        """,
    ];

    public override string LedgerExists =>
        $"SELECT COUNT(*) > 0 FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{MaskingPolicyFile.ToolSchema}' AND TABLE_NAME = '{LedgerTable}'";

    protected override string LedgerReplace =>
        "ON DUPLICATE KEY UPDATE rule = VALUES(rule), policy_fingerprint = VALUES(policy_fingerprint), masked_at = CURRENT_TIMESTAMP";

    private sealed class Named : Parameters
    {
        protected override string Placeholder(int index) => Name(index);

        protected override string Name(int index) => "@p" + index.ToString(CultureInfo.InvariantCulture);
    }
}
