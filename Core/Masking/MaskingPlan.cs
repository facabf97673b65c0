namespace QaDatabases.Masking;

/// <summary>
/// A policy resolved against a clone's catalog by <see cref="MaskingGate"/>: what happens to each
/// table, with the catalog's own columns and types. Only a plan that passed the gate exists.
/// </summary>
public sealed record MaskingPlan(MaskingPolicy Policy, DatabaseCatalog Catalog, IReadOnlyList<TablePlan> Tables)
{
    public IEnumerable<MaskPlan> Masked => Tables.OfType<MaskPlan>().Where(t => t.Masked.Count > 0);

    public IReadOnlyList<TruncatePlan> Truncated => Tables.OfType<TruncatePlan>().ToList();

    public int MaskedColumns => Masked.Sum(t => t.Masked.Count);

    /// <summary>Columns left as they are: <c>keep</c> columns and every column of a <c>keep-all</c> table.</summary>
    public int KeptColumns => Tables.Sum(t => t switch
    {
        MaskPlan m => m.Kept.Count,
        KeepAllPlan k => k.Table.Columns.Count,
        _ => 0,
    });
}

/// <summary>One table of the plan.</summary>
public abstract record TablePlan(CatalogTable Table);

public sealed record TruncatePlan(CatalogTable Table, TruncateTable Rule) : TablePlan(Table);

public sealed record KeepAllPlan(CatalogTable Table, KeepAllTable Rule) : TablePlan(Table);

/// <summary>A table masked column by column.</summary>
/// <param name="Table">The table in the clone.</param>
/// <param name="Rule">The policy's rule for it.</param>
/// <param name="Key">The columns every derived value comes from (the primary key, or the policy's <c>key:</c>); empty only when nothing is masked.</param>
/// <param name="Masked">Each masked column with its strategy, in the table's column order.</param>
/// <param name="Kept">The columns left as they are.</param>
public sealed record MaskPlan(CatalogTable Table, MaskTable Rule, IReadOnlyList<CatalogColumn> Key, IReadOnlyList<MaskedColumn> Masked, IReadOnlyList<CatalogColumn> Kept)
    : TablePlan(Table);

public sealed record MaskedColumn(CatalogColumn Column, MaskingStrategy Strategy);
