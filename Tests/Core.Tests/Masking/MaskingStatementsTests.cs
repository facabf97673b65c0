using QaDatabases.Capacity;
using QaDatabases.Masking;
using static QaDatabases.Tests.Masking.CatalogBuilder;

namespace QaDatabases.Tests.Masking;

public class MaskingStatementsTests
{
    private const string Salt = "pepper-0f3c";

    private static MaskingPlan Plan(string policy, DatabaseCatalog catalog)
    {
        var result = MaskingGate.Check(MaskingPolicyFile.Parse("policy.yaml", policy), catalog);
        Assert.True(result.Passed, string.Join("\n", result.Problems));
        return result.Plan!;
    }

    private static IReadOnlyList<TableWork> Apply(string policy, DatabaseCatalog catalog, IReadOnlyList<LedgerEntry>? ledger = null) =>
        MaskingStatements.Apply(Plan(policy, catalog), ledger ?? [], Salt);

    private static SqlStatement Update(string policy, DatabaseCatalog catalog, IReadOnlyList<LedgerEntry>? ledger = null) =>
        Assert.Single(Assert.Single(Apply(policy, catalog, ledger)).Changes);

    private static DatabaseCatalog People(EngineFamily engine = EngineFamily.PostgreSql, params CatalogColumn[] extra) => Catalog(engine, [],
        Table("people", ["id"], [Id(), Text("email", 40), Text("notes"), Column("born", TypeFamily.Date, "date"), Text("tax_id", 64), .. extra]));

    [Fact]
    public void PostgreSql_masks_a_table_with_one_update_of_every_masked_column_derived_from_the_key()
    {
        var update = Update(ShopPolicy, Shop());

        Assert.Equal(
            "UPDATE \"public\".\"customers\" SET "
            + "\"email\" = CASE WHEN \"email\" IS NULL THEN NULL ELSE left('user-' || \"id\"::text || '@example.invalid', 255) END, "
            + "\"phone\" = CASE WHEN \"phone\" IS NULL THEN NULL ELSE '+1555' || lpad((mod(mod(\"id\", 10000000) + 10000000, 10000000))::text, 7, '0') END, "
            + "\"full_name\" = CASE WHEN \"full_name\" IS NULL THEN NULL ELSE (ARRAY['Alex', 'Sam', 'Robin', 'Jordan', 'Taylor', 'Morgan', 'Casey', 'Riley', 'Jamie', 'Avery', 'Quinn', 'Harper', 'Kai', 'Rowan', 'Sora', 'Yuki'])[1 + mod(mod(\"id\", 16) + 16, 16)] || ' ' || (ARRAY['Smith', 'Garcia', 'Tanaka', 'Muller', 'Rossi', 'Silva', 'Kim', 'Nguyen', 'Novak', 'Jensen', 'Okafor', 'Suzuki', 'Martin', 'Brown', 'Ito', 'Costa'])[1 + mod(mod((\"id\") / 16 + \"id\", 16) + 16, 16)] END, "
            + "\"birth_date\" = CASE WHEN \"birth_date\" IS NULL THEN NULL ELSE \"birth_date\" + ((mod(mod(\"id\", 30) + 30, 30) + 1) * (1 - 2 * mod(mod((\"id\") / 30, 2) + 2, 2)))::int END",
            update.Text);
        Assert.Empty(update.Parameters);
    }

    [Fact]
    public void MySql_masks_a_table_with_the_same_values_in_its_own_functions()
    {
        var update = Update(ShopPolicy, Shop(EngineFamily.MySql));

        Assert.Equal(
            "UPDATE `public`.`customers` SET "
            + "`email` = CASE WHEN `email` IS NULL THEN NULL ELSE LEFT(CONCAT('user-', CAST(`id` AS CHAR), '@example.invalid'), 255) END, "
            + "`phone` = CASE WHEN `phone` IS NULL THEN NULL ELSE CONCAT('+1555', LPAD(MOD(MOD(CAST(`id` AS SIGNED), 10000000) + 10000000, 10000000), 7, '0')) END, "
            + "`full_name` = CASE WHEN `full_name` IS NULL THEN NULL ELSE CONCAT(ELT(1 + MOD(MOD(CAST(`id` AS SIGNED), 16) + 16, 16), 'Alex', 'Sam', 'Robin', 'Jordan', 'Taylor', 'Morgan', 'Casey', 'Riley', 'Jamie', 'Avery', 'Quinn', 'Harper', 'Kai', 'Rowan', 'Sora', 'Yuki'), ' ', ELT(1 + MOD(MOD((CAST(`id` AS SIGNED)) DIV 16 + CAST(`id` AS SIGNED), 16) + 16, 16), 'Smith', 'Garcia', 'Tanaka', 'Muller', 'Rossi', 'Silva', 'Kim', 'Nguyen', 'Novak', 'Jensen', 'Okafor', 'Suzuki', 'Martin', 'Brown', 'Ito', 'Costa')) END, "
            + "`birth_date` = CASE WHEN `birth_date` IS NULL THEN NULL ELSE `birth_date` + INTERVAL ((MOD(MOD(CAST(`id` AS SIGNED), 30) + 30, 30) + 1) * (1 - 2 * MOD(MOD((CAST(`id` AS SIGNED)) DIV 30, 2) + 2, 2))) DAY END",
            update.Text);
    }

    [Fact]
    public void Policy_values_and_the_salt_are_parameters_never_part_of_the_statement_text()
    {
        const string Policy = "tables:\n  people:\n    columns:\n      id: keep\n      email: { constant: \"o'connor-7f2@example.invalid\" }\n      notes: { text: \"note'); DROP TABLE people; --\" }\n      born: keep\n      tax_id: hash\n";

        var postgres = Update(Policy, People());
        var mysql = Update(Policy, People(EngineFamily.MySql));

        Assert.Equal(["o'connor-7f2@example.invalid", "note'); DROP TABLE people; --", Salt], postgres.Parameters.Select(p => p.Value));
        Assert.All(postgres.Parameters, p => Assert.Null(p.Name));
        Assert.Contains("CAST($1 AS character varying(40))", postgres.Text, StringComparison.Ordinal);
        Assert.Contains("$2 || \"id\"::text", postgres.Text, StringComparison.Ordinal);
        Assert.Contains("encode(sha256(convert_to($3 || \"tax_id\"::text, 'UTF8')), 'hex')", postgres.Text, StringComparison.Ordinal);
        Assert.Equal(["@p0", "@p1", "@p2"], mysql.Parameters.Select(p => p.Name));
        Assert.Contains("SHA2(CONCAT(@p2, `tax_id`), 256)", mysql.Text, StringComparison.Ordinal);
        foreach (var statement in new[] { postgres, mysql })
        {
            Assert.DoesNotContain("connor", statement.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("DROP", statement.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(Salt, statement.Text + statement + string.Join(",", statement.Parameters), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Identifiers_are_always_quoted_with_the_quote_doubled_inside()
    {
        var table = new CatalogTable("sales\"eu`", "cust\"omers`", [Id("i\"d`"), Text("e\"mail`")], ["i\"d`"]);
        const string Policy = "tables:\n  sales\"eu`.cust\"omers`:\n    columns:\n      i\"d`: keep\n      e\"mail`: email\n";

        var postgres = Update(Policy, Catalog(EngineFamily.PostgreSql, [], table));
        var mysql = Update(Policy, Catalog(EngineFamily.MySql, [], table));

        Assert.StartsWith("UPDATE \"sales\"\"eu`\".\"cust\"\"omers`\" SET \"e\"\"mail`\" = CASE WHEN \"e\"\"mail`\" IS NULL", postgres.Text, StringComparison.Ordinal);
        Assert.Contains("'user-' || \"i\"\"d`\"::text", postgres.Text, StringComparison.Ordinal);
        Assert.StartsWith("UPDATE `sales\"eu```.`cust\"omers``` SET `e\"mail``` = CASE WHEN `e\"mail``` IS NULL", mysql.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_sql_expression_is_confined_to_parentheses_cast_to_the_column_and_assigned_first_on_mysql()
    {
        var catalog = People(EngineFamily.MySql, new CatalogColumn("prefs", "json", TypeFamily.Json, null, true));
        const string Policy = "tables:\n  people:\n    columns:\n      id: keep\n      email: email\n      notes: keep\n      born: keep\n      tax_id: keep\n      prefs: { sql: \"JSON_SET(prefs, '$.email', 'x')\" }\n";

        var mysql = Update(Policy, catalog);
        var postgres = Update(Policy.Replace("JSON_SET(prefs, '$.email', 'x')", "jsonb_set(prefs, '{email}', '\\\"x\\\"')", StringComparison.Ordinal),
            People(EngineFamily.PostgreSql, new CatalogColumn("prefs", "jsonb", TypeFamily.Json, null, true)));

        Assert.StartsWith("UPDATE `public`.`people` SET `prefs` = CASE WHEN `prefs` IS NULL THEN NULL ELSE (JSON_SET(prefs, '$.email', 'x')) END, `email` = ", mysql.Text, StringComparison.Ordinal);
        Assert.Contains("\"prefs\" = CASE WHEN \"prefs\" IS NULL THEN NULL ELSE CAST((jsonb_set(prefs, '{email}', '\"x\"')) AS jsonb) END", postgres.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_that_is_not_one_integer_derives_text_from_its_columns_and_numbers_from_their_md5()
    {
        var catalog = Catalog(Table("lines", ["order_ref", "line_no"], Text("order_ref", 20, nullable: false), new CatalogColumn("line_no", "integer", TypeFamily.Integral, null, false), Text("email"), Text("phone")));

        var update = Update("tables:\n  lines:\n    columns:\n      order_ref: keep\n      line_no: keep\n      email: email\n      phone: phone\n", catalog);

        Assert.Contains("'user-' || substr(md5(concat_ws('-', \"order_ref\"::text, \"line_no\"::text)), 1, 16) || '@example.invalid'", update.Text, StringComparison.Ordinal);
        Assert.Contains("mod(mod(('x' || substr(md5(concat_ws('-', \"order_ref\"::text, \"line_no\"::text)), 1, 8))::bit(32)::bigint, 10000000)", update.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_that_read_the_column_run_once_per_rule_recorded_in_the_ledger()
    {
        const string Policy = "tables:\n  people:\n    columns:\n      id: keep\n      email: email\n      notes: keep\n      born: { date-shift: 30 }\n      tax_id: hash\n";
        const string Fingerprint = "f";

        var first = Update(Policy, People());
        var again = Update(Policy, People(), [new("public", "people", "email", "email", Fingerprint), new("public", "people", "born", "date-shift: 30", Fingerprint), new("public", "people", "tax_id", "hash", Fingerprint)]);
        var changedShift = Update(Policy, People(), [new("public", "people", "born", "date-shift: 10", Fingerprint), new("public", "people", "tax_id", "hash", Fingerprint)]);

        Assert.Contains("\"born\" = ", first.Text, StringComparison.Ordinal);
        Assert.Contains("\"tax_id\" = ", first.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(" WHERE ", first.Text, StringComparison.Ordinal);
        Assert.Equal("UPDATE \"public\".\"people\" SET \"email\" = CASE WHEN \"email\" IS NULL THEN NULL ELSE left('user-' || \"id\"::text || '@example.invalid', 40) END"
            + " WHERE \"email\" <> CAST(left('user-' || \"id\"::text || '@example.invalid', 40) AS character varying(40))", again.Text);
        Assert.Contains("\"born\" = ", changedShift.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"tax_id\" = ", changedShift.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(" WHERE ", changedShift.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_transaction_records_its_columns_rules_under_the_policy_fingerprint()
    {
        var plan = Plan(ShopPolicy, Shop());

        var ledger = Assert.Single(MaskingStatements.Apply(plan, [], null)).Ledger;

        Assert.StartsWith("INSERT INTO \"qa_db\".\"masking_ledger\" (schema_name, table_name, column_name, rule, policy_fingerprint) VALUES ($1, $2, $3, $4, $5), ", ledger.Text, StringComparison.Ordinal);
        Assert.EndsWith("ON CONFLICT (schema_name, table_name, column_name) DO UPDATE SET rule = EXCLUDED.rule, policy_fingerprint = EXCLUDED.policy_fingerprint, masked_at = now()", ledger.Text, StringComparison.Ordinal);
        Assert.Equal(["public", "customers", "birth_date", "date-shift: 30", plan.Policy.ContentFingerprint], ledger.Parameters.Skip(15).Select(p => p.Value));
    }

    [Fact]
    public void Truncated_tables_are_emptied_together_transactionally_on_each_engine()
    {
        const string Policy = "tables:\n  customers: truncate\n  orders: truncate\n";

        var postgres = Assert.Single(Apply(Policy, Shop()));
        var mysql = Assert.Single(Apply(Policy, Shop(EngineFamily.MySql)));

        Assert.Equal(["TRUNCATE TABLE \"public\".\"customers\", \"public\".\"orders\""], postgres.Changes.Select(c => c.Text));
        Assert.Equal(["SET SESSION foreign_key_checks = 0", "DELETE FROM `public`.`customers`", "DELETE FROM `public`.`orders`", "SET SESSION foreign_key_checks = 1"], mysql.Changes.Select(c => c.Text));
        Assert.Equal("SELECT (SELECT COUNT(*) FROM \"public\".\"customers\") + (SELECT COUNT(*) FROM \"public\".\"orders\")", postgres.Verify!.Any.Text);
        Assert.Equal("SELECT (SELECT COUNT(*) FROM \"public\".\"customers\"), (SELECT COUNT(*) FROM \"public\".\"orders\")", postgres.Verify.Breakdown.Text);
        Assert.Equal(["public.customers (truncate)", "public.orders (truncate)"], postgres.Verify.Checks.Select(c => c.Subject));
    }

    [Fact]
    public void Verification_recomputes_key_derived_columns_checks_digests_and_leaves_the_rest_to_the_ledger()
    {
        const string Policy = "tables:\n  people:\n    columns:\n      id: keep\n      email: email\n      notes: null\n      born: { date-shift: 30 }\n      tax_id: hash\n";

        var verify = Assert.Single(MaskingStatements.Verify(Plan(Policy, People())));

        Assert.Equal(["public.people.email (email)", "public.people.notes (null)", "public.people.tax_id (hash)"], verify.Checks.Select(c => c.Subject));
        Assert.Equal(
            "SELECT COALESCE(SUM(CASE WHEN \"email\" <> CAST(left('user-' || \"id\"::text || '@example.invalid', 40) AS character varying(40)) THEN 1 ELSE 0 END), 0), "
            + "COALESCE(SUM(CASE WHEN \"notes\" IS NOT NULL THEN 1 ELSE 0 END), 0), "
            + "COALESCE(SUM(CASE WHEN \"tax_id\" IS NOT NULL AND NOT (\"tax_id\"::text ~ '^[0-9a-f]{64}$') THEN 1 ELSE 0 END), 0) FROM \"public\".\"people\"",
            verify.Breakdown.Text);
        Assert.Equal(
            "SELECT COUNT(*) FROM \"public\".\"people\" WHERE (\"email\" <> CAST(left('user-' || \"id\"::text || '@example.invalid', 40) AS character varying(40)))"
            + " OR (\"notes\" IS NOT NULL) OR (\"tax_id\" IS NOT NULL AND NOT (\"tax_id\"::text ~ '^[0-9a-f]{64}$'))",
            verify.Any.Text);
        Assert.Equal("public.people.email (email): 3 row(s) hold values email would not have produced", verify.Checks[0].Message(3));
    }

    [Fact]
    public void The_ledger_is_the_only_evidence_for_columns_that_cannot_be_recomputed()
    {
        var plan = Plan("tables:\n  people:\n    columns:\n      id: keep\n      email: email\n      notes: keep\n      born: { date-shift: 30 }\n      tax_id: hash\n", People());

        var gaps = MaskingStatements.LedgerGaps(plan, [new("public", "people", "born", "date-shift: 7", "x"), new("public", "people", "tax_id", "hash", "x")]);

        Assert.Equal(["public.people.born (date-shift: 30): its values cannot be recomputed and the ledger (qa_db.masking_ledger) has no record that this rule masked it; run qa-db masking apply"], gaps);
    }

    [Fact]
    public void A_policy_that_hashes_cannot_be_applied_without_the_salt()
    {
        var plan = Plan("tables:\n  people:\n    columns:\n      id: keep\n      email: keep\n      notes: keep\n      born: keep\n      tax_id: hash\n", People());

        var error = Assert.Throws<ArgumentException>(() => MaskingStatements.Apply(plan, [], ""));

        Assert.Contains("maskingSalt", error.Message, StringComparison.Ordinal);
    }
}
