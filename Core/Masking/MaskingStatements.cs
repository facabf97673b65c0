using System.Globalization;

namespace QaDatabases.Masking;

/// <summary>
/// A verification: <see cref="Any"/> counts the rows that break any check, in one cheap aggregate;
/// only when it finds some does <see cref="Breakdown"/> say which checks, with a count each.
/// </summary>
/// <param name="Any">One value: the rows (or, for truncated tables, the rows left) that fail; 0 passes.</param>
/// <param name="Breakdown">One row of counts, one per check, each of which must be 0.</param>
/// <param name="Checks">What each count of the breakdown means, in order.</param>
public sealed record Verification(SqlStatement Any, SqlStatement Breakdown, IReadOnlyList<VerificationCheck> Checks);

/// <summary>One count of a verification: its subject (<c>public.customers.email (email)</c>) and what a non-zero count means.</summary>
public sealed record VerificationCheck(string Subject, string Failure)
{
    public string Message(long rows) => $"{Subject}: {rows.ToString(CultureInfo.InvariantCulture)} row(s) {Failure}";
}

/// <summary>
/// One transaction of <c>apply</c>: the statements that change the table(s), the verification that
/// must find nothing before it commits, and the ledger rows written with it.
/// </summary>
/// <param name="Subject">What it masks, for messages (<c>public.customers</c>, or the truncated tables).</param>
/// <param name="Changes">The UPDATE (or TRUNCATE/DELETE statements); empty when a re-run finds nothing left to do.</param>
/// <param name="Verify">Counts that must all be 0 before the transaction commits; null when no column can be recomputed.</param>
/// <param name="Ledger">The ledger rows recording what this transaction did.</param>
public sealed record TableWork(string Subject, IReadOnlyList<SqlStatement> Changes, Verification? Verify, SqlStatement Ledger);

/// <summary>
/// The SQL that masks and verifies a clone, from a plan that passed the gate: a pure function, so
/// the statements are tested as text and the same text runs on the servers.
/// </summary>
/// <remarks>
/// <para>Each masked table gets ONE <c>UPDATE</c> setting all its masked columns, so it is read and
/// written once. Every value derives from the row's key (<see cref="MaskPlan.Key"/>): its text (one
/// column, or the columns joined by '-') or a number (the key itself when it is one integer column,
/// else 32 bits of the MD5 of its text). NULL stays NULL. Text is cut to the column's length inside
/// the expression, so the verification recomputes exactly what was written.</para>
/// <para>Re-runs: strategies derived from the key are idempotent by construction. <c>date-shift</c>,
/// <c>hash</c> and <c>sql</c> read the current value, so the ledger (<c>qa_db.masking_ledger</c>)
/// records each column's rule in the same transaction as its UPDATE, and a column whose rule is
/// already recorded is not applied again. When a table was masked before and only key-derived columns
/// remain to set, the UPDATE touches only rows that differ, so a re-run on a masked clone writes
/// nothing.</para>
/// </remarks>
public static class MaskingStatements
{
    private static readonly string[] FirstNames =
        ["Alex", "Sam", "Robin", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn", "Harper", "Kai", "Rowan", "Sora", "Yuki"];

    private static readonly string[] LastNames =
        ["Smith", "Garcia", "Tanaka", "Muller", "Rossi", "Silva", "Kim", "Nguyen", "Novak", "Jensen", "Okafor", "Suzuki", "Martin", "Brown", "Ito", "Costa"];

    /// <summary>The domain of every fake address: reserved (RFC 2606), so no mail can ever be delivered.</summary>
    public const string EmailDomain = "example.invalid";

    /// <summary>The transactions that apply <paramref name="plan"/>, given what the ledger says already ran.</summary>
    /// <param name="plan">A plan that passed the gate.</param>
    /// <param name="ledger">The clone's ledger as read before the run.</param>
    /// <param name="salt">The salt of <c>hash</c>; required when the plan hashes a column.</param>
    public static IReadOnlyList<TableWork> Apply(MaskingPlan plan, IReadOnlyList<LedgerEntry> ledger, string? salt)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(ledger);
        if (plan.Policy.UsesHash && string.IsNullOrEmpty(salt))
        {
            throw new ArgumentException("the policy hashes columns, which needs the salt (maskingSalt)", nameof(salt));
        }

        var dialect = SqlDialect.For(plan.Catalog.Engine);
        var work = new List<TableWork>();
        if (plan.Truncated.Count > 0)
        {
            var tables = plan.Truncated.Select(t => t.Table).ToList();
            work.Add(new TableWork(
                string.Join(", ", tables.Select(t => t.QualifiedName)),
                dialect.Truncate(tables).Select(s => new SqlStatement(s)).ToList(),
                TruncateVerification(dialect, tables),
                Ledger(dialect, tables.Select(t => new LedgerEntry(t.Schema, t.Name, "", "truncate", plan.Policy.ContentFingerprint)).ToList())));
        }

        foreach (var table in plan.Masked)
        {
            var recorded = ledger.Where(e => e.Schema == table.Table.Schema && e.Table == table.Table.Name).ToList();
            var pending = table.Masked
                .Where(m => m.Strategy.DerivedFromKey || !recorded.Any(e => e.Column == m.Column.Name && e.Rule == m.Strategy.Rule))
                .ToList();
            var onlyDifferingRows = recorded.Count > 0 && pending.All(m => m.Strategy.DerivedFromKey);
            work.Add(new TableWork(
                table.Table.QualifiedName,
                pending.Count == 0 ? [] : [Update(dialect, table, pending, onlyDifferingRows, salt)],
                Verify(dialect, table),
                Ledger(dialect, table.Masked.Select(m => new LedgerEntry(table.Table.Schema, table.Table.Name, m.Column.Name, m.Strategy.Rule, plan.Policy.ContentFingerprint)).ToList())));
        }

        return work;
    }

    /// <summary>
    /// The read-only verifications of an already-masked clone (<c>check --verify-masked</c>): every
    /// key-derived column recomputes, every hash is a digest, every truncated table is empty.
    /// </summary>
    public static IReadOnlyList<Verification> Verify(MaskingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var dialect = SqlDialect.For(plan.Catalog.Engine);
        var checks = new List<Verification>();
        if (plan.Truncated.Count > 0)
        {
            checks.Add(TruncateVerification(dialect, plan.Truncated.Select(t => t.Table).ToList()));
        }

        checks.AddRange(plan.Masked.Select(t => Verify(dialect, t)).OfType<Verification>());
        return checks;
    }

    /// <summary>
    /// Columns whose values cannot be recomputed (<c>date-shift</c>, <c>hash</c>, <c>sql</c>) and
    /// that the ledger does not record as masked by their current rule: for them the ledger is the
    /// only evidence, and it is missing.
    /// </summary>
    public static IReadOnlyList<string> LedgerGaps(MaskingPlan plan, IReadOnlyList<LedgerEntry> ledger)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(ledger);
        return plan.Masked
            .SelectMany(t => t.Masked.Where(m => !m.Strategy.DerivedFromKey).Select(m => (Table: t.Table, Masked: m)))
            .Where(x => !ledger.Any(e => e.Schema == x.Table.Schema && e.Table == x.Table.Name && e.Column == x.Masked.Column.Name && e.Rule == x.Masked.Strategy.Rule))
            .Select(x => $"{x.Table.QualifiedName}.{x.Masked.Column.Name} ({x.Masked.Strategy.Rule}): its values cannot be recomputed and the ledger ({MaskingPolicyFile.ToolSchema}.{SqlDialect.LedgerTable}) has no record that this rule masked it; run qa-db masking apply")
            .ToList();
    }

    private static SqlStatement Update(SqlDialect dialect, MaskPlan table, IReadOnlyList<MaskedColumn> columns, bool onlyDifferingRows, string? salt)
    {
        var parameters = dialect.NewParameters();

        // MySQL assigns left to right and later expressions see earlier columns' new values; sql:
        // expressions go first so that they read the original row, as they do in PostgreSQL.
        var ordered = columns.OrderBy(c => c.Strategy.Kind == StrategyKind.Sql ? 0 : 1).ToList();
        var set = string.Join(", ", ordered.Select(c => $"{dialect.Quote(c.Column.Name)} = {Value(dialect, table, c, parameters, salt)}"));
        var where = onlyDifferingRows
            ? " WHERE " + string.Join(" OR ", columns.Select(c => Mismatch(dialect, table, c, parameters, salt)))
            : "";
        return new SqlStatement($"UPDATE {dialect.Table(table.Table)} SET {set}{where}", parameters.List);
    }

    private static Verification? Verify(SqlDialect dialect, MaskPlan table)
    {
        var verified = table.Masked.Where(m => m.Strategy.DerivedFromKey || m.Strategy.Kind == StrategyKind.Hash).ToList();
        if (verified.Count == 0)
        {
            return null;
        }

        // One count of the rows that fail any check is a third of the work of a count per check
        // (one aggregate instead of one per column); the breakdown runs only when something fails.
        var anyParameters = dialect.NewParameters();
        var any = string.Join(" OR ", verified.Select(m => $"({Mismatch(dialect, table, m, anyParameters, salt: null)})"));
        var parameters = dialect.NewParameters();
        var checks = verified.Select(m => (Masked: m, Sql: Mismatch(dialect, table, m, parameters, salt: null))).ToList();
        var counts = string.Join(", ", checks.Select(c => $"COALESCE(SUM(CASE WHEN {c.Sql} THEN 1 ELSE 0 END), 0)"));
        return new Verification(
            new SqlStatement($"SELECT COUNT(*) FROM {dialect.Table(table.Table)} WHERE {any}", anyParameters.List),
            new SqlStatement($"SELECT {counts} FROM {dialect.Table(table.Table)}", parameters.List),
            checks.Select(c => new VerificationCheck(
                $"{table.Table.QualifiedName}.{c.Masked.Column.Name} ({c.Masked.Strategy.Rule})",
                c.Masked.Strategy.Kind == StrategyKind.Hash ? "are not hex digests" : $"hold values {c.Masked.Strategy.Name} would not have produced")).ToList());
    }

    /// <summary>
    /// A condition true for rows whose column does not hold what the strategy writes. A NULL never
    /// fails it: NULL stays NULL, so it is what every strategy writes for NULL (the comparison is
    /// unknown, not true). Text is compared in the column's own type (a char(n) pads, a MySQL column
    /// has its collation).
    /// </summary>
    private static string Mismatch(SqlDialect dialect, MaskPlan table, MaskedColumn masked, SqlDialect.Parameters parameters, string? salt)
    {
        var column = dialect.Quote(masked.Column.Name);
        return masked.Strategy.Kind switch
        {
            StrategyKind.Null => $"{column} IS NOT NULL",
            StrategyKind.Hash => $"{column} IS NOT NULL AND NOT ({dialect.IsLowerHex(column, Math.Min(64, masked.Column.MaxLength ?? 64))})",
            var kind when StrategyCatalog.Of(kind).WritesText => $"{column} <> {dialect.CastTo(Written(dialect, table, masked, parameters, salt), masked.Column)}",
            _ => $"{column} <> {Written(dialect, table, masked, parameters, salt)}",
        };
    }

    /// <summary>The column's new value: NULL stays NULL, anything else becomes what the strategy writes.</summary>
    private static string Value(SqlDialect dialect, MaskPlan table, MaskedColumn masked, SqlDialect.Parameters parameters, string? salt) =>
        masked.Strategy.Kind == StrategyKind.Null
            ? "NULL"
            : $"CASE WHEN {dialect.Quote(masked.Column.Name)} IS NULL THEN NULL ELSE {Written(dialect, table, masked, parameters, salt)} END";

    /// <summary>What the strategy writes for a value that is not NULL.</summary>
    private static string Written(SqlDialect dialect, MaskPlan table, MaskedColumn masked, SqlDialect.Parameters parameters, string? salt)
    {
        var strategy = masked.Strategy;
        var column = dialect.Quote(masked.Column.Name);
        var key = table.Key;
        string Number() => dialect.KeyNumber(key);
        var value = strategy.Kind switch
        {
            StrategyKind.Email => dialect.Concat(
                SqlDialect.Literal("user-"),
                key.All(k => k.Family is TypeFamily.Integral or TypeFamily.Uuid) ? dialect.KeyText(key) : dialect.Substring(dialect.Md5Hex(dialect.KeyText(key)), 1, 16),
                SqlDialect.Literal("@" + EmailDomain)),
            StrategyKind.Phone => dialect.Concat(SqlDialect.Literal("+1555"), dialect.ZeroPad(dialect.Mod(Number(), 10_000_000), 7)),
            StrategyKind.Name => dialect.Concat(
                dialect.Pick(FirstNames, dialect.Mod(Number(), FirstNames.Length)),
                SqlDialect.Literal(" "),
                dialect.Pick(LastNames, dialect.Mod($"{dialect.Div(Number(), FirstNames.Length)} + {Number()}", LastNames.Length))),
            StrategyKind.Text => dialect.Concat(parameters.Add(strategy.Parameter), dialect.KeyText(key)),
            StrategyKind.PostalCode => dialect.ZeroPad(dialect.Mod(Number(), 100_000), 5),
            StrategyKind.DateShift => dialect.AddDays(column, masked.Column.Family, ShiftDays(dialect, Number(), strategy.Days)),
            StrategyKind.Constant => dialect.CastTo(parameters.Add(strategy.Parameter), masked.Column),
            StrategyKind.Hash => dialect.Sha256Hex(parameters.Add(salt), column),
            StrategyKind.Sql => dialect.CastTo($"({strategy.Parameter})", masked.Column),
            _ => throw new InvalidOperationException($"{strategy.Name} writes no value of its own"),
        };
        return StrategyCatalog.Of(strategy.Kind).WritesText && masked.Column.MaxLength is { } length ? dialect.Left(value, length) : value;
    }

    /// <summary>A shift of 1 to <paramref name="days"/> days, earlier or later, never 0: the day count from the key, the direction from the next digit of it.</summary>
    private static string ShiftDays(SqlDialect dialect, string number, int days) =>
        $"({dialect.Mod(number, days)} + 1) * (1 - 2 * {dialect.Mod(dialect.Div(number, days), 2)})";

    private static Verification TruncateVerification(SqlDialect dialect, IReadOnlyList<CatalogTable> tables) => new(
        new SqlStatement("SELECT " + string.Join(" + ", tables.Select(t => $"(SELECT COUNT(*) FROM {dialect.Table(t)})"))),
        new SqlStatement("SELECT " + string.Join(", ", tables.Select(t => $"(SELECT COUNT(*) FROM {dialect.Table(t)})"))),
        tables.Select(t => new VerificationCheck($"{t.QualifiedName} (truncate)", "remain")).ToList());

    private static SqlStatement Ledger(SqlDialect dialect, IReadOnlyList<LedgerEntry> entries)
    {
        var parameters = dialect.NewParameters();
        return new SqlStatement(dialect.LedgerUpsert(parameters, entries), parameters.List);
    }
}
