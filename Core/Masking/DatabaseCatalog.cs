using QaDatabases.Capacity;

namespace QaDatabases.Masking;

/// <summary>What kind of value a column holds, as far as masking cares: which strategies fit it.</summary>
public enum TypeFamily
{
    Text,
    Integral,
    Numeric,
    FloatingPoint,
    Boolean,
    Date,
    Timestamp,
    Json,
    Uuid,
    Network,
    Binary,
    Enum,
    Other,
}

/// <summary>One column of a clone's table.</summary>
/// <param name="Name">As the catalog spells it.</param>
/// <param name="Type">The type as the engine shows it (<c>character varying(255)</c>, <c>varchar(255)</c>), for messages.</param>
/// <param name="Family">What strategies fit it.</param>
/// <param name="MaxLength">The most characters it holds (varchar/char), or null; generated values are cut to it.</param>
/// <param name="Nullable">Whether it accepts NULL (the <c>null</c> strategy needs it).</param>
/// <param name="Generated">A generated column, computed by the database from others: it cannot be written.</param>
/// <param name="Unique">The column alone makes up a unique index, so one value for every row (<c>constant</c>) would collide.</param>
/// <param name="Collation">MySQL text columns: the character set and collation (<c>utf8mb4</c>, <c>utf8mb4_unicode_ci</c>) that
/// verification compares in; MySQL refuses to compare two strings of different collations.</param>
public sealed record CatalogColumn(
    string Name, string Type, TypeFamily Family, int? MaxLength, bool Nullable, bool Generated = false, bool Unique = false, (string CharacterSet, string Name)? Collation = null);

/// <summary>One base table of a clone.</summary>
/// <param name="Schema">Its schema (MySQL: database).</param>
/// <param name="Name">Its name.</param>
/// <param name="Columns">Its columns in the table's order.</param>
/// <param name="PrimaryKey">Its primary key's columns in key order; empty when it has none.</param>
public sealed record CatalogTable(string Schema, string Name, IReadOnlyList<CatalogColumn> Columns, IReadOnlyList<string> PrimaryKey)
{
    public string QualifiedName => $"{Schema}.{Name}";

    public CatalogColumn? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);
}

/// <summary>A foreign key: <see cref="Columns"/> of one table reference <see cref="ReferencedColumns"/> of another.</summary>
public sealed record CatalogForeignKey(
    string Schema, string Table, IReadOnlyList<string> Columns, string ReferencedSchema, string ReferencedTable, IReadOnlyList<string> ReferencedColumns);

/// <summary>
/// The part of a clone's catalog the gate reads: its base tables with their columns, primary and
/// foreign keys, and the connection's default schema (PostgreSQL <c>current_schema()</c>, MySQL
/// <c>DATABASE()</c>), which unqualified table names in a policy mean. System schemas, the tool's own
/// <see cref="MaskingPolicyFile.ToolSchema"/>, PostgreSQL partitions (masked through their parent) and
/// tables owned by extensions are never in it. Read by <see cref="CatalogQueries"/>.
/// </summary>
public sealed record DatabaseCatalog(
    EngineFamily Engine, string? DefaultSchema, IReadOnlyList<CatalogTable> Tables, IReadOnlyList<CatalogForeignKey> ForeignKeys)
{
    public CatalogTable? Table(string schema, string name) => Tables.FirstOrDefault(t => t.Schema == schema && t.Name == name);
}

/// <summary>A ledger row: this rule was applied to this column (or the table was truncated, column empty) under this policy.</summary>
public sealed record LedgerEntry(string Schema, string Table, string Column, string Rule, string PolicyFingerprint);
