using System.Globalization;
using System.Text.RegularExpressions;
using QaDatabases.Capacity;
using QaDatabases.Cli;
using QaDatabases.Masking;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests.Masking;

/// <summary>A database seeded with the masking fixture, how to reach it, and the schema its tables are in.</summary>
public sealed record MaskingClone(string Database, string ConnectionString, string Schema);

/// <summary>
/// What <c>qa-db masking</c> promises on every engine, run against a real server standing in for the
/// clone, with the fixture schema (Fixtures/masking-fixture*.sql: 13 tables, personal columns of
/// several types, a composite key, tables with no primary key, foreign keys between masked tables)
/// and its policy (Fixtures/masking-fixture-policy.yaml, one file for both engines). Each engine's
/// class supplies its server and dialect.
/// </summary>
public abstract partial class MaskingContract
{
    protected const string Salt = "test-salt-3c1f9a";

    protected static readonly string PolicyFile = Repo.PathOf("Tests", "Core.Tests", "Fixtures", "masking-fixture-policy.yaml");

    /// <summary>Every table of the fixture and the columns that order its rows.</summary>
    private static readonly (string Table, string OrderBy)[] Tables =
    [
        ("countries", "code"), ("customers", "id"), ("addresses", "id"), ("users", "id"), ("sessions", "id"), ("products", "id"),
        ("orders", "id"), ("order_lines", "order_id, line_no"), ("payments", "id"), ("support_tickets", "id"), ("employees", "id"),
        ("newsletter_signups", "signup_code"), ("audit_log", "happened_at"),
    ];

    static MaskingContract() => Environment.SetEnvironmentVariable("QA_DB_MASKING_SALT", Salt);

    protected abstract EngineFamily Engine { get; }

    protected string EngineName => Engine == EngineFamily.PostgreSql ? "postgresql" : "mysql";

    /// <summary>A new database seeded with the fixture.</summary>
    protected abstract Task<MaskingClone> FixtureCloneAsync();

    protected abstract Task<List<object[]>> RowsAsync(MaskingClone clone, string sql);

    protected abstract Task ExecuteAsync(MaskingClone clone, string sql);

    /// <summary>This engine's DDL that turns a column into text.</summary>
    protected abstract string ChangeTypeToText(string table, string column);

    /// <summary>This engine's DDL for a trigger that puts customers.email back whenever it is updated.</summary>
    protected abstract string EmailRestoringTrigger { get; }

    /// <summary>
    /// This engine's DDL for a table <see cref="HostileTable"/> with a key <c>id</c> and a text column
    /// <see cref="HostileColumn"/>, both names quoted with the engine's own quote doubled inside, and
    /// two rows; and the SELECT of that column, ordered by id.
    /// </summary>
    protected abstract (string Ddl, string SelectColumn) HostileTableSql { get; }

    /// <summary>A table name that would end the statement and drop a table were it spliced in unquoted, with both engines' quote characters in it.</summary>
    protected const string HostileTable = "t\"`; DROP TABLE customers; --";

    /// <summary>A column name with both quote characters, a comment opener and a closing parenthesis.</summary>
    protected const string HostileColumn = "e\"`mail) /*";

    /// <summary>Runs <c>qa-db masking ...</c> in this process, with the clone's connection string in a variable of its own.</summary>
    protected async Task<(int Exit, string Out, string Err)> CliAsync(MaskingClone clone, params string[] arguments)
    {
        var variable = "QA_DB_TEST_CONNECTION_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, clone.ConnectionString);
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var exit = await QaDbCli.RunAsync(["masking", .. arguments, "--engine", EngineName, "--connection-env", variable], stdout, stderr);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    protected Task<(int Exit, string Out, string Err)> ApplyAsync(MaskingClone clone, string policy) => CliAsync(clone, "apply", "--policy", policy);

    protected Task<(int Exit, string Out, string Err)> CheckAsync(MaskingClone clone, string policy, bool verifyMasked = false) =>
        verifyMasked ? CliAsync(clone, "check", "--policy", policy, "--verify-masked") : CliAsync(clone, "check", "--policy", policy);

    /// <summary>Every row of every table, in a fixed order.</summary>
    private async Task<Dictionary<string, List<object[]>>> DumpAsync(MaskingClone clone)
    {
        var dump = new Dictionary<string, List<object[]>>();
        foreach (var (table, orderBy) in Tables)
        {
            dump[table] = await RowsAsync(clone, $"SELECT * FROM {table} ORDER BY {orderBy}");
        }

        return dump;
    }

    /// <summary>A date as either driver returns it (Npgsql: DateOnly, MySqlConnector: DateTime).</summary>
    private static DateTime Day(object value) => value is DateOnly day ? day.ToDateTime(TimeOnly.MinValue) : (DateTime)value;

    private static string OrderBy(string table) => Tables.Single(t => t.Table == table).OrderBy;

    /// <summary>A copy of the fixture policy with one line replaced, in a throwaway folder.</summary>
    private static (TempProject Project, string Path) PolicyWith(string line, string replacement)
    {
        var text = File.ReadAllText(PolicyFile);
        Assert.Contains(line, text, StringComparison.Ordinal);
        var project = new TempProject();
        project.Write("policy.yaml", text.Replace(line, replacement, StringComparison.Ordinal));
        return (project, Path.Combine(project.Path, "policy.yaml"));
    }

    private static int LineOf(string text) =>
        File.ReadAllLines(PolicyFile).Select((l, i) => (l, i)).Single(x => x.l == text).i + 1;

    [Fact]
    public async Task Apply_masks_every_personal_column_and_keeps_keys_counts_foreign_keys_and_kept_columns()
    {
        var clone = await FixtureCloneAsync();
        var policy = MaskingPolicyFile.Load(PolicyFile);
        var before = new Dictionary<string, (List<object[]> Kept, List<object[]> Masked, string[] MaskedNames)>();
        foreach (var table in policy.Tables.OfType<MaskTable>().Where(t => t.Columns.Any(c => c.Strategy.Masks)))
        {
            var kept = table.Columns.Where(c => !c.Strategy.Masks).Select(c => c.Column).ToArray();
            var masked = table.Columns.Where(c => c.Strategy.Masks).Select(c => c.Column).ToArray();
            var name = table.Name.Table;
            before[name] = (await RowsAsync(clone, $"SELECT {string.Join(", ", kept)} FROM {name} ORDER BY {OrderBy(name)}"),
                await RowsAsync(clone, $"SELECT {string.Join(", ", masked)} FROM {name} ORDER BY {OrderBy(name)}"), masked);
        }

        var countries = await RowsAsync(clone, "SELECT * FROM countries ORDER BY code");

        var (exit, output, error) = await ApplyAsync(clone, PolicyFile);

        Assert.True(exit == 0, error);
        Assert.Equal($"policy {PolicyFile}: 25 columns masked in 9 tables, 2 tables truncated, 32 kept; gate passed{Environment.NewLine}", output);
        Assert.Equal(countries, await RowsAsync(clone, "SELECT * FROM countries ORDER BY code"));
        Assert.Equal([0L, 0L], (await RowsAsync(clone, "SELECT (SELECT COUNT(*) FROM sessions), (SELECT COUNT(*) FROM audit_log)"))[0].Select(Convert.ToInt64));
        foreach (var table in policy.Tables.OfType<MaskTable>().Where(t => t.Columns.Any(c => c.Strategy.Masks)))
        {
            var name = table.Name.Table;
            var (kept, masked, maskedNames) = before[name];
            Assert.Equal(kept, await RowsAsync(clone, $"SELECT {string.Join(", ", table.Columns.Where(c => !c.Strategy.Masks).Select(c => c.Column))} FROM {name} ORDER BY {OrderBy(name)}"));
            var after = await RowsAsync(clone, $"SELECT {string.Join(", ", maskedNames)} FROM {name} ORDER BY {OrderBy(name)}");
            Assert.Equal(masked.Count, after.Count);
            for (var c = 0; c < maskedNames.Length; c++)
            {
                var strategy = table.Columns.Single(r => r.Column == maskedNames[c]).Strategy;
                for (var row = 0; row < after.Count; row++)
                {
                    var (old, now) = (masked[row][c], after[row][c]);
                    var where = $"{name}.{maskedNames[c]} ({strategy}) row {row}";
                    if (strategy.Kind == StrategyKind.Null || old is DBNull)
                    {
                        Assert.True(now is DBNull, $"{where}: expected NULL, found {now}");
                    }
                    else if (strategy.Kind == StrategyKind.Constant)
                    {
                        Assert.True(Convert.ToString(now, CultureInfo.InvariantCulture) == strategy.Parameter, $"{where}: expected {strategy.Parameter}, found {now}");
                    }
                    else
                    {
                        Assert.True(now is not DBNull && !Equals(old, now), $"{where}: still {old}");
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Masked_values_derive_from_the_key_so_a_customer_stays_findable_by_id()
    {
        var clone = await FixtureCloneAsync();
        var birthdays = await RowsAsync(clone, "SELECT id, birthday FROM customers WHERE birthday IS NOT NULL ORDER BY id");

        Assert.Equal(0, (await ApplyAsync(clone, PolicyFile)).Exit);

        Assert.Equal(["user-41@example.invalid", "+15550000041", "note-41", "user-41"],
            (await RowsAsync(clone, "SELECT c.email, c.phone, c.notes, u.login FROM customers c JOIN users u ON u.customer_id = c.id WHERE c.id = 41"))[0]);
        Assert.Equal("gift-2-1", (await RowsAsync(clone, "SELECT gift_message FROM order_lines WHERE order_id = 2 AND line_no = 1"))[0][0]);
        Assert.All(await RowsAsync(clone, "SELECT yubin FROM addresses"), r => Assert.Matches("^[0-9]{5}$", (string)r[0]));
        Assert.All(await RowsAsync(clone, "SELECT tax_id FROM customers WHERE tax_id IS NOT NULL"), r => Assert.Matches("^[0-9a-f]{32}$", (string)r[0]));
        Assert.All(await RowsAsync(clone, "SELECT email FROM newsletter_signups"), r => Assert.Matches("^user-[0-9a-f]{16}@example\\.invalid$", (string)r[0]));
        var shifted = await RowsAsync(clone, "SELECT id, birthday FROM customers WHERE birthday IS NOT NULL ORDER BY id");
        Assert.All(birthdays.Zip(shifted), p => Assert.InRange(Math.Abs((Day(p.Second[1]) - Day(p.First[1])).TotalDays), 1, 30));
    }

    [Fact]
    public async Task Masking_is_deterministic_two_clones_get_the_same_fakes()
    {
        var first = await FixtureCloneAsync();
        var second = await FixtureCloneAsync();

        Assert.Equal(0, (await ApplyAsync(first, PolicyFile)).Exit);
        Assert.Equal(0, (await ApplyAsync(second, PolicyFile)).Exit);

        Assert.Equal(await DumpAsync(first), await DumpAsync(second));
    }

    [Fact]
    public async Task Applying_twice_gives_the_same_data_as_applying_once()
    {
        var clone = await FixtureCloneAsync();
        Assert.Equal(0, (await ApplyAsync(clone, PolicyFile)).Exit);
        var once = await DumpAsync(clone);

        var again = await ApplyAsync(clone, PolicyFile);

        Assert.True(again.Exit == 0, again.Err);
        Assert.Equal(once, await DumpAsync(clone));
    }

    [Fact]
    public async Task A_policy_change_elsewhere_does_not_shift_dates_or_hash_digests_a_second_time()
    {
        var clone = await FixtureCloneAsync();
        Assert.Equal(0, (await ApplyAsync(clone, PolicyFile)).Exit);
        const string Customers = "SELECT id, birthday, tax_id, prefs FROM customers ORDER BY id";
        var masked = await RowsAsync(clone, Customers);
        var (project, changed) = PolicyWith("      shipping_name: name", "      shipping_name: { text: \"ship-\" }");
        using var _ = project;

        var result = await ApplyAsync(clone, changed);

        Assert.True(result.Exit == 0, result.Err);
        Assert.Equal(masked, await RowsAsync(clone, Customers));
        Assert.Equal("ship-7", (await RowsAsync(clone, "SELECT shipping_name FROM orders WHERE id = 7"))[0][0]);
    }

    [Fact]
    public async Task Check_verify_masked_fails_on_unmasked_data_and_passes_once_applied()
    {
        var clone = await FixtureCloneAsync();

        var unmasked = await CheckAsync(clone, PolicyFile, verifyMasked: true);
        Assert.Equal(0, (await ApplyAsync(clone, PolicyFile)).Exit);
        var masked = await CheckAsync(clone, PolicyFile, verifyMasked: true);

        Assert.Equal(1, unmasked.Exit);
        Assert.Contains($"{clone.Schema}.customers.email (email): 300 row(s) hold values email would not have produced", unmasked.Err, StringComparison.Ordinal);
        Assert.Contains($"{clone.Schema}.sessions (truncate): 300 row(s) remain", unmasked.Err, StringComparison.Ordinal);
        Assert.Contains($"{clone.Schema}.customers.birthday (date-shift: 30): its values cannot be recomputed and the ledger", unmasked.Err, StringComparison.Ordinal);
        Assert.True(masked.Exit == 0, masked.Err);
        Assert.Equal($"policy {PolicyFile}: 25 columns to mask in 9 tables, 2 tables to truncate, 32 kept; gate passed; masked data verified{Environment.NewLine}", masked.Out);
    }

    [Fact]
    public async Task The_gate_fails_on_an_added_column_with_its_type_and_a_suggested_line()
    {
        var clone = await FixtureCloneAsync();
        await ExecuteAsync(clone, "ALTER TABLE customers ADD COLUMN phone_mobile TEXT");
        var before = await DumpAsync(clone);

        var check = await CheckAsync(clone, PolicyFile);
        var apply = await ApplyAsync(clone, PolicyFile);

        Assert.Equal((1, ""), (check.Exit, check.Out));
        Assert.Contains($"{PolicyFile}:{LineOf("  customers:")}: unclassified column {clone.Schema}.customers.phone_mobile (text); add it to {clone.Schema}.customers's columns:  phone_mobile: phone  # name suggests a phone number",
            check.Err, StringComparison.Ordinal);
        Assert.Equal(1, apply.Exit);
        Assert.Contains("nothing was changed", apply.Err, StringComparison.Ordinal);
        Assert.Equal(before, await DumpAsync(clone));
    }

    [Fact]
    public async Task The_gate_fails_on_a_renamed_column_as_stale_in_the_policy_and_unclassified_in_the_clone()
    {
        var clone = await FixtureCloneAsync();
        await ExecuteAsync(clone, "ALTER TABLE customers RENAME COLUMN phone TO phone_number");

        var check = await CheckAsync(clone, PolicyFile);

        Assert.Equal(1, check.Exit);
        Assert.Contains($"{PolicyFile}:{LineOf("      phone: phone")}: column {clone.Schema}.customers.phone: the clone has no such column (renamed or dropped?), so the policy is stale",
            check.Err, StringComparison.Ordinal);
        Assert.Contains($"unclassified column {clone.Schema}.customers.phone_number (text)", check.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_gate_fails_on_a_column_whose_type_no_longer_fits_its_strategy()
    {
        var clone = await FixtureCloneAsync();
        await ExecuteAsync(clone, ChangeTypeToText("customers", "birthday"));

        var check = await CheckAsync(clone, PolicyFile);

        Assert.Equal(1, check.Exit);
        Assert.Contains($"{PolicyFile}:{LineOf("      birthday: { date-shift: 30 }")}: {clone.Schema}.customers.birthday (text): date-shift moves dates, which does not fit a text column",
            check.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_naming_a_table_the_clone_lacks_fails_naming_the_file_and_line()
    {
        var clone = await FixtureCloneAsync();
        var (project, policy) = PolicyWith("  audit_log: truncate", "  audit_log: truncate\n  invoices: truncate");
        using var _ = project;

        var check = await CheckAsync(clone, policy);

        Assert.Equal(1, check.Exit);
        Assert.Contains($"{policy}:{LineOf("  audit_log: truncate") + 1}: table {clone.Schema}.invoices: the clone has no such table (renamed or dropped?), so the policy is stale",
            check.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_finds_every_planted_personal_column_and_its_draft_passes_check()
    {
        var clone = await FixtureCloneAsync();
        using var project = new TempProject();
        var draftPath = Path.Combine(project.Path, "draft.yaml");
        string[] planted =
        [
            "customers.email", "customers.phone", "customers.full_name", "customers.middle_name", "customers.kana", "customers.birthday",
            "customers.tax_id", "customers.notes", "addresses.yubin", "addresses.jusho", "users.login", "users.password_hash",
            "users.last_login_ip", "sessions.token", "orders.shipping_name", "order_lines.gift_message", "payments.instrument",
            "support_tickets.contact", "support_tickets.callback", "support_tickets.body", "employees.shimei", "employees.tel",
            "employees.mail_address", "employees.seinengappi", "newsletter_signups.email", "audit_log.actor_email", "audit_log.origin",
        ];

        var init = await CliAsync(clone, "init", "--out", draftPath);
        var check = await CheckAsync(clone, draftPath);

        Assert.True(init.Exit == 0, init.Err);
        Assert.StartsWith($"wrote {draftPath}: 27 column(s) to mask in 11 table(s), 0 to truncate, ", init.Out, StringComparison.Ordinal);
        var draft = MaskingPolicyFile.Load(draftPath);
        var masked = draft.Tables.OfType<MaskTable>().SelectMany(t => t.Columns.Where(c => c.Strategy.Masks).Select(c => $"{t.Name.Table}.{c.Column}")).ToHashSet();
        Assert.Empty(planted.Except(masked));
        Assert.Empty(masked.Except(planted));
        Assert.True(check.Exit == 0, check.Err);
    }

    [Fact]
    public async Task A_failing_table_is_left_unchanged_and_stops_the_run()
    {
        var clone = await FixtureCloneAsync();
        var (project, policy) = PolicyWith("      shipping_name: name", "      shipping_name: { sql: \"CASE WHEN id > 0 THEN 1/0 END\" }");
        using var _ = project;
        const string Orders = "SELECT * FROM orders ORDER BY id";
        const string OrderLines = "SELECT * FROM order_lines ORDER BY order_id, line_no";
        var orders = await RowsAsync(clone, Orders);
        var orderLines = await RowsAsync(clone, OrderLines);

        var (exit, output, error) = await ApplyAsync(clone, policy);

        Assert.Equal((1, ""), (exit, output));
        Assert.Contains($"qa-db: masking {clone.Schema}.orders: the database at ", error, StringComparison.Ordinal);
        Assert.Contains($"{clone.Schema}.orders is unchanged (its transaction was rolled back); 4 earlier transaction(s) stay masked; not started: {clone.Schema}.order_lines,", error, StringComparison.Ordinal);
        Assert.Equal(orders, await RowsAsync(clone, Orders));
        Assert.Equal(orderLines, await RowsAsync(clone, OrderLines));
        Assert.Equal("user-42@example.invalid", (await RowsAsync(clone, "SELECT email FROM customers WHERE id = 42"))[0][0]);
    }

    [Fact]
    public async Task A_trigger_that_rewrites_masked_values_fails_verification_and_the_table_is_left_unchanged()
    {
        var clone = await FixtureCloneAsync();
        await ExecuteAsync(clone, EmailRestoringTrigger);
        const string Customers = "SELECT * FROM customers ORDER BY id";
        var customers = await RowsAsync(clone, Customers);

        var (exit, _, error) = await ApplyAsync(clone, PolicyFile);

        Assert.Equal(1, exit);
        Assert.Contains($"{clone.Schema}.customers.email (email): 300 row(s) hold values email would not have produced", error, StringComparison.Ordinal);
        Assert.Contains($"qa-db: verification of {clone.Schema}.customers failed after masking", error, StringComparison.Ordinal);
        Assert.Equal(customers, await RowsAsync(clone, Customers));
    }

    [Fact]
    public async Task An_sql_injection_attempt_is_rejected_with_its_line_and_never_reaches_the_database()
    {
        var clone = await FixtureCloneAsync();
        var (project, policy) = PolicyWith("      notes: { text: \"note-\" }", "      notes: { sql: \"'x' END; DROP TABLE customers; --\" }");
        using var _ = project;

        var (exit, output, error) = await ApplyAsync(clone, policy);

        Assert.Equal((1, ""), (exit, output));
        Assert.Contains($"{policy}:{LineOf("      notes: { text: \"note-\" }")}: customers.notes: sql: the expression could escape its column: ';' would end the statement", error, StringComparison.Ordinal);
        Assert.Equal(300L, Convert.ToInt64((await RowsAsync(clone, "SELECT COUNT(*) FROM customers WHERE email NOT LIKE 'user-%'"))[0][0], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task As_a_process_apply_prints_one_summary_line_and_exits_0()
    {
        var clone = await FixtureCloneAsync();

        var result = await QaDbProcess.RunAsync(
            new Dictionary<string, string> { ["QA_DB_CONNECTION"] = clone.ConnectionString, ["QA_DB_MASKING_SALT"] = Salt },
            "masking", "apply", "--policy", PolicyFile, "--engine", EngineName);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal([$"policy {PolicyFile}: 25 columns masked in 9 tables, 2 tables truncated, 32 kept; gate passed"], result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task As_a_process_a_policy_that_hashes_without_a_salt_is_refused_naming_maskingSalt()
    {
        var clone = await FixtureCloneAsync();

        var result = await QaDbProcess.RunAsync(
            new Dictionary<string, string> { ["QA_DB_CONNECTION"] = clone.ConnectionString, ["QA_DB_MASKING_SALT"] = "" },
            "masking", "apply", "--policy", PolicyFile, "--engine", EngineName);

        Assert.Equal((1, ""), (result.ExitCode, result.Stdout));
        Assert.Contains($"the policy hashes customers.tax_id (line {LineOf("      tax_id: hash")}), which needs a secret salt: set the config key maskingSalt", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(300L, Convert.ToInt64((await RowsAsync(clone, "SELECT COUNT(*) FROM customers WHERE email NOT LIKE 'user-%'"))[0][0], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_refused_login_is_one_line_and_exit_1()
    {
        var clone = await FixtureCloneAsync();
        var wrong = WrongPassword().Replace(clone.ConnectionString, "${key}=not-the-password");

        var result = await QaDbProcess.RunAsync(new Dictionary<string, string> { ["QA_DB_CONNECTION"] = wrong }, "masking", "check", "--policy", PolicyFile, "--engine", EngineName);

        Assert.Equal((1, ""), (result.ExitCode, result.Stdout));
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("refused the login", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Table_and_column_names_are_quoted_so_a_hostile_name_is_masked_like_any_other_and_runs_nothing()
    {
        var clone = await FixtureCloneAsync();
        await ExecuteAsync(clone, HostileTableSql.Ddl);
        using var project = new TempProject();
        static string Yaml(string name) => "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'";
        project.Write("policy.yaml", await File.ReadAllTextAsync(PolicyFile)
            + $"  {Yaml(HostileTable)}:\n    columns:\n      id: keep\n      {Yaml(HostileColumn)}: email\n");

        var (exit, output, error) = await ApplyAsync(clone, Path.Combine(project.Path, "policy.yaml"));

        Assert.True(exit == 0, error);
        Assert.Contains("gate passed", output, StringComparison.Ordinal);
        Assert.Equal(["user-1@example.invalid", "user-2@example.invalid"], (await RowsAsync(clone, HostileTableSql.SelectColumn)).Select(r => (string)r[0]));
        Assert.Equal(300L, Convert.ToInt64((await RowsAsync(clone, "SELECT COUNT(*) FROM customers"))[0][0], CultureInfo.InvariantCulture));
    }

    [GeneratedRegex("(?<key>Password)=[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex WrongPassword();
}
