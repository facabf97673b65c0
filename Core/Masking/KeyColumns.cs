namespace QaDatabases.Masking;

/// <summary>
/// The columns of a table that masking must never change, and why: its primary key, the policy's
/// <c>key:</c>, its foreign keys, and the columns other tables' foreign keys reference. Changing any of
/// them would change a row's identity or break a reference, and masking promises neither happens.
/// </summary>
internal static class KeyColumns
{
    public static Dictionary<string, string> Of(CatalogTable table, DatabaseCatalog catalog, IReadOnlyList<string>? policyKey)
    {
        var why = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string column, string reason) => why.TryAdd(column, reason);

        foreach (var column in table.PrimaryKey)
        {
            Add(column, "part of the primary key");
        }

        foreach (var column in policyKey ?? [])
        {
            Add(column, "named in key:");
        }

        foreach (var foreignKey in catalog.ForeignKeys)
        {
            if (foreignKey.Schema == table.Schema && foreignKey.Table == table.Name)
            {
                foreach (var column in foreignKey.Columns)
                {
                    Add(column, $"in the foreign key to {foreignKey.ReferencedSchema}.{foreignKey.ReferencedTable}");
                }
            }

            if (foreignKey.ReferencedSchema == table.Schema && foreignKey.ReferencedTable == table.Name)
            {
                foreach (var column in foreignKey.ReferencedColumns)
                {
                    Add(column, $"referenced by the foreign key from {foreignKey.Schema}.{foreignKey.Table}");
                }
            }
        }

        return why;
    }

    /// <summary>The foreign keys of other tables that point at <paramref name="table"/>.</summary>
    public static IEnumerable<CatalogForeignKey> ReferencesTo(CatalogTable table, DatabaseCatalog catalog) =>
        catalog.ForeignKeys.Where(f => f.ReferencedSchema == table.Schema && f.ReferencedTable == table.Name
            && !(f.Schema == table.Schema && f.Table == table.Name));
}
