using QaDatabases.Capacity;
using QaDatabases.Masking;

namespace QaDatabases.Tests.Masking;

/// <summary>Hand-made catalogs for the pure tests: the shape the catalog queries produce, stated per test.</summary>
internal static class CatalogBuilder
{
    public static CatalogColumn Text(string name, int? max = null, bool nullable = true, bool unique = false) =>
        new(name, max is null ? "text" : $"character varying({max})", TypeFamily.Text, max, nullable, Unique: unique);

    public static CatalogColumn Column(string name, TypeFamily family, string type, bool nullable = true) => new(name, type, family, null, nullable);

    public static CatalogColumn Id(string name = "id") => new(name, "bigint", TypeFamily.Integral, null, false);

    public static CatalogTable Table(string name, string[] primaryKey, params CatalogColumn[] columns) => new("public", name, columns, primaryKey);

    public static DatabaseCatalog Catalog(params CatalogTable[] tables) => Catalog(EngineFamily.PostgreSql, [], tables);

    public static DatabaseCatalog Catalog(EngineFamily engine, CatalogForeignKey[] foreignKeys, params CatalogTable[] tables) =>
        new(engine, "public", tables, foreignKeys);

    public static CatalogForeignKey ForeignKey(string table, string column, string referenced, string referencedColumn = "id") =>
        new("public", table, [column], "public", referenced, [referencedColumn]);

    /// <summary>customers(id, email, phone, full_name, birth_date, status, created_at) and orders(id, customer_id -> customers, total).</summary>
    public static DatabaseCatalog Shop(EngineFamily engine = EngineFamily.PostgreSql) => Catalog(
        engine,
        [ForeignKey("orders", "customer_id", "customers")],
        Table("customers", ["id"],
            Id(), Text("email", 255, nullable: false, unique: true), Text("phone"), Text("full_name", nullable: false),
            Column("birth_date", TypeFamily.Date, "date"), Text("status", 20, nullable: false), Column("created_at", TypeFamily.Timestamp, "timestamp with time zone", nullable: false)),
        Table("orders", ["id"], Id(), Id("customer_id"), Column("total", TypeFamily.Numeric, "numeric(10,2)", nullable: false)));

    public const string ShopPolicy = """
        tables:
          customers:
            columns:
              id: keep
              email: email
              phone: phone
              full_name: name
              birth_date: { date-shift: 30 }
              status: keep
              created_at: keep
          orders:
            columns:
              id: keep
              customer_id: keep
              total: keep
        """;
}
