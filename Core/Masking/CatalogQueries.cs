using System.Globalization;
using QaDatabases.Capacity;

namespace QaDatabases.Masking;

/// <summary>
/// The catalog queries of each engine and how their rows become a <see cref="DatabaseCatalog"/>.
/// The CLI runs the queries (any ADO.NET driver) and hands the rows here, so what counts as a table,
/// a key or a type family is decided, and tested, in one place.
/// </summary>
/// <remarks>
/// Row shapes: <see cref="Columns"/> gives schema, table, column, display type, base type name, type
/// kind (PostgreSQL <c>typtype</c>, MySQL null), max length, nullable, generated, and (MySQL) character
/// set and collation;
/// <see cref="PrimaryKeys"/> and <see cref="UniqueColumns"/> give schema, table, column (in key order);
/// <see cref="ForeignKeys"/> gives schema, table, column, referenced schema, table, column, and an id
/// that groups the columns of one key.
/// </remarks>
public sealed class CatalogQueries
{
    private const string PostgreSqlScope =
        $"n.nspname NOT LIKE 'pg\\_%' AND n.nspname NOT IN ('information_schema', '{MaskingPolicyFile.ToolSchema}')";

    private const string MySqlSystem = $"('mysql', 'information_schema', 'performance_schema', 'sys', '{MaskingPolicyFile.ToolSchema}')";

    public static CatalogQueries For(EngineFamily engine) => engine == EngineFamily.PostgreSql ? PostgreSql : MySql;

    /// <summary>
    /// PostgreSQL: ordinary and partitioned tables of every schema but the system ones and the tool's;
    /// partitions are left out (an UPDATE of the parent masks them), and so are tables an extension owns
    /// (PostGIS's spatial_ref_sys, say), which hold the extension's data, not the application's.
    /// </summary>
    public static readonly CatalogQueries PostgreSql = new(
        EngineFamily.PostgreSql,
        "SELECT current_schema()",
        $"""
        SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
               coalesce(bt.typname, t.typname)::text, coalesce(bt.typtype, t.typtype)::text,
               CASE WHEN coalesce(bt.typname, t.typname) IN ('varchar', 'bpchar')
                         AND (CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END) > 4
                    THEN (CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END) - 4 END,
               NOT a.attnotnull AND NOT (t.typtype = 'd' AND t.typnotnull),
               a.attgenerated <> '', NULL, NULL
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND {PostgreSqlScope}
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                          WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
        ORDER BY n.nspname, c.relname, a.attnum
        """,
        $"""
        SELECT n.nspname, c.relname, a.attname
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        WHERE i.indisprimary AND {PostgreSqlScope}
        ORDER BY n.nspname, c.relname, k.position
        """,
        $"""
        SELECT n.nspname, c.relname, a.attname
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
        WHERE i.indisunique AND i.indnkeyatts = 1 AND {PostgreSqlScope}
        """,
        $"""
        SELECT n.nspname, c.relname, a.attname, rn.nspname, rc.relname, ra.attname, con.oid::text
        FROM pg_catalog.pg_constraint con
        JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
        JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
        CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, refattnum, position)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        JOIN pg_catalog.pg_attribute ra ON ra.attrelid = rc.oid AND ra.attnum = k.refattnum
        WHERE con.contype = 'f' AND con.conparentid = 0 AND {PostgreSqlScope}
        ORDER BY con.oid, k.position
        """);

    /// <summary>MySQL: base tables of every database but the system ones and the tool's.</summary>
    public static readonly CatalogQueries MySql = new(
        EngineFamily.MySql,
        "SELECT DATABASE()",
        $"""
        SELECT c.TABLE_SCHEMA, c.TABLE_NAME, c.COLUMN_NAME, c.COLUMN_TYPE, c.DATA_TYPE, NULL,
               CASE WHEN c.DATA_TYPE IN ('char', 'varchar', 'tinytext') THEN c.CHARACTER_MAXIMUM_LENGTH END,
               c.IS_NULLABLE = 'YES',
               c.EXTRA LIKE '%VIRTUAL GENERATED%' OR c.EXTRA LIKE '%STORED GENERATED%' OR c.EXTRA LIKE '%PERSISTENT GENERATED%',
               c.CHARACTER_SET_NAME, c.COLLATION_NAME
        FROM information_schema.COLUMNS c
        JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
        WHERE t.TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') AND c.TABLE_SCHEMA NOT IN {MySqlSystem}
        ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION
        """,
        $"""
        SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
        WHERE CONSTRAINT_NAME = 'PRIMARY' AND TABLE_SCHEMA NOT IN {MySqlSystem}
        ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION
        """,
        $"""
        SELECT TABLE_SCHEMA, TABLE_NAME, MIN(COLUMN_NAME) FROM information_schema.STATISTICS
        WHERE NON_UNIQUE = 0 AND TABLE_SCHEMA NOT IN {MySqlSystem}
        GROUP BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME HAVING COUNT(*) = 1 AND MIN(COLUMN_NAME) IS NOT NULL
        """,
        $"""
        SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME,
               CONCAT(CONSTRAINT_SCHEMA, '.', TABLE_NAME, '.', CONSTRAINT_NAME)
        FROM information_schema.KEY_COLUMN_USAGE
        WHERE REFERENCED_TABLE_NAME IS NOT NULL AND TABLE_SCHEMA NOT IN {MySqlSystem}
        ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION
        """);

    private CatalogQueries(EngineFamily engine, string defaultSchema, string columns, string primaryKeys, string uniqueColumns, string foreignKeys)
    {
        Engine = engine;
        DefaultSchema = defaultSchema;
        Columns = columns;
        PrimaryKeys = primaryKeys;
        UniqueColumns = uniqueColumns;
        ForeignKeys = foreignKeys;
    }

    public EngineFamily Engine { get; }

    /// <summary>One value: the schema unqualified names mean (null when there is none).</summary>
    public string DefaultSchema { get; }

    public string Columns { get; }

    public string PrimaryKeys { get; }

    /// <summary>Columns that alone make up a unique index: a <c>constant</c> there would collide.</summary>
    public string UniqueColumns { get; }

    public string ForeignKeys { get; }

    /// <summary>Builds the catalog from the rows of the four queries.</summary>
    public DatabaseCatalog Build(
        object? defaultSchema,
        IEnumerable<IReadOnlyList<object?>> columns,
        IEnumerable<IReadOnlyList<object?>> primaryKeys,
        IEnumerable<IReadOnlyList<object?>> uniqueColumns,
        IEnumerable<IReadOnlyList<object?>> foreignKeys)
    {
        var keys = primaryKeys.GroupBy(r => (Text(r[0]), Text(r[1]))).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(r => Text(r[2])).ToList());
        var unique = uniqueColumns.Select(r => (Text(r[0]), Text(r[1]), Text(r[2]))).ToHashSet();
        var tables = columns
            .GroupBy(r => (Schema: Text(r[0]), Table: Text(r[1])))
            .Select(g => new CatalogTable(
                g.Key.Schema,
                g.Key.Table,
                g.Select(r =>
                {
                    var family = FamilyOf(Engine, Text(r[4]), r[5] as string);
                    return new CatalogColumn(Text(r[2]), Text(r[3]), family, r[6] is null or DBNull ? null : Convert.ToInt32(r[6], CultureInfo.InvariantCulture),
                        Bool(r[7]), Bool(r[8]), unique.Contains((g.Key.Schema, g.Key.Table, Text(r[2]))),
                        r[9] is string characterSet && r[10] is string collation ? (characterSet, collation) : null);
                }).ToList(),
                keys.GetValueOrDefault((g.Key.Schema, g.Key.Table)) ?? []))
            .ToList();
        var references = foreignKeys
            .GroupBy(r => Text(r[6]))
            .Select(g => new CatalogForeignKey(
                Text(g.First()[0]), Text(g.First()[1]), g.Select(r => Text(r[2])).ToList(),
                Text(g.First()[3]), Text(g.First()[4]), g.Select(r => Text(r[5])).ToList()))
            .ToList();
        return new DatabaseCatalog(Engine, defaultSchema is null or DBNull ? null : Text(defaultSchema), tables, references);
    }

    /// <summary>
    /// The family of a column's type: PostgreSQL's base type name (a domain's underlying type) and
    /// <c>typtype</c> ('e' for enums), or MySQL's <c>DATA_TYPE</c>.
    /// </summary>
    public static TypeFamily FamilyOf(EngineFamily engine, string typeName, string? typeKind = null)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        var name = typeName.ToLowerInvariant();
        if (engine == EngineFamily.PostgreSql)
        {
            if (typeKind == "e")
            {
                return TypeFamily.Enum;
            }

            return name switch
            {
                "text" or "varchar" or "bpchar" or "citext" or "name" => TypeFamily.Text,
                "int2" or "int4" or "int8" => TypeFamily.Integral,
                "numeric" or "money" => TypeFamily.Numeric,
                "float4" or "float8" => TypeFamily.FloatingPoint,
                "bool" => TypeFamily.Boolean,
                "date" => TypeFamily.Date,
                "timestamp" or "timestamptz" => TypeFamily.Timestamp,
                "json" or "jsonb" => TypeFamily.Json,
                "uuid" => TypeFamily.Uuid,
                "inet" or "cidr" or "macaddr" or "macaddr8" => TypeFamily.Network,
                "bytea" => TypeFamily.Binary,
                _ => TypeFamily.Other,
            };
        }

        return name switch
        {
            "char" or "varchar" or "tinytext" or "text" or "mediumtext" or "longtext" => TypeFamily.Text,
            "tinyint" or "smallint" or "mediumint" or "int" or "integer" or "bigint" => TypeFamily.Integral,
            "decimal" or "numeric" => TypeFamily.Numeric,
            "float" or "double" or "real" => TypeFamily.FloatingPoint,
            "date" => TypeFamily.Date,
            "datetime" or "timestamp" => TypeFamily.Timestamp,
            "json" => TypeFamily.Json,
            "uuid" => TypeFamily.Uuid,
            "inet4" or "inet6" => TypeFamily.Network,
            "enum" or "set" => TypeFamily.Enum,
            "binary" or "varbinary" or "tinyblob" or "blob" or "mediumblob" or "longblob" or "bit" => TypeFamily.Binary,
            _ => TypeFamily.Other,
        };
    }

    private static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    private static bool Bool(object? value) => value switch
    {
        bool b => b,
        null or DBNull => false,
        string s => s is "YES" or "1" or "true",
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
    };
}
