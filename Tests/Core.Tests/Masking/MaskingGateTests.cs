using QaDatabases.Capacity;
using QaDatabases.Masking;
using static QaDatabases.Tests.Masking.CatalogBuilder;

namespace QaDatabases.Tests.Masking;

public class MaskingGateTests
{
    private const string File = "masking/policy.yaml";

    private static GateResult Gate(string policy, DatabaseCatalog catalog) => MaskingGate.Check(MaskingPolicyFile.Parse(File, policy), catalog);

    private static IReadOnlyList<string> Problems(string policy, DatabaseCatalog catalog)
    {
        var result = Gate(policy, catalog);
        Assert.False(result.Passed, "the gate should have failed");
        Assert.Null(result.Plan);
        return result.Problems;
    }

    [Fact]
    public void A_policy_that_classifies_every_column_passes_and_plans_each_table()
    {
        var result = Gate(ShopPolicy, Shop());

        Assert.True(result.Passed, string.Join("\n", result.Problems));
        var plan = result.Plan!;
        Assert.Equal(4, plan.MaskedColumns);
        Assert.Equal(6, plan.KeptColumns);
        var customers = Assert.IsType<MaskPlan>(plan.Tables[0]);
        Assert.Equal(["id"], customers.Key.Select(k => k.Name));
        Assert.Equal(["email", "phone", "full_name", "birth_date"], customers.Masked.Select(m => m.Column.Name));
    }

    [Fact]
    public void An_added_column_fails_the_gate_as_schema_table_column_type_with_a_suggested_line()
    {
        var catalog = Shop() with { };
        var customers = catalog.Tables[0];
        catalog = catalog with { Tables = [customers with { Columns = [.. customers.Columns, Text("phone_mobile")] }, catalog.Tables[1]] };

        var problem = Assert.Single(Problems(ShopPolicy, catalog));

        Assert.Equal($"{File}:2: unclassified column public.customers.phone_mobile (text); add it to public.customers's columns:  phone_mobile: phone  # name suggests a phone number", problem);
    }

    [Fact]
    public void A_table_the_policy_does_not_list_fails_with_each_column_and_a_block_to_paste()
    {
        var catalog = Shop();
        catalog = catalog with { Tables = [.. catalog.Tables, Table("newsletter", ["id"], Id(), Text("email", 255), Column("opted_in", TypeFamily.Boolean, "boolean"))] };

        var result = Gate(ShopPolicy, catalog);

        Assert.Equal(
        [
            $"{File}: unclassified column public.newsletter.id (bigint) in table public.newsletter, which the policy does not list; suggested policy line under newsletter: columns:  id: keep",
            $"{File}: unclassified column public.newsletter.email (character varying(255)) in table public.newsletter, which the policy does not list; suggested policy line under newsletter: columns:  email: email  # name suggests an e-mail address",
            $"{File}: unclassified column public.newsletter.opted_in (boolean) in table public.newsletter, which the policy does not list; suggested policy line under newsletter: columns:  opted_in: keep",
        ], result.Problems);
        Assert.Equal("  newsletter:\n    columns:\n      id: keep\n      email: email  # name suggests an e-mail address\n      opted_in: keep\n", result.Suggestion);
    }

    [Fact]
    public void A_renamed_column_is_stale_in_the_policy_and_unclassified_in_the_clone()
    {
        var catalog = Shop();
        var customers = catalog.Tables[0];
        catalog = catalog with { Tables = [customers with { Columns = [.. customers.Columns.Select(c => c.Name == "phone" ? c with { Name = "phone_number" } : c)] }, catalog.Tables[1]] };

        var problems = Problems(ShopPolicy, catalog);

        Assert.Equal(
        [
            $"{File}:6: column public.customers.phone: the clone has no such column (renamed or dropped?), so the policy is stale; remove or rename it (unclassified columns of public.customers: phone_number)",
            $"{File}:2: unclassified column public.customers.phone_number (text); add it to public.customers's columns:  phone_number: phone  # name suggests a phone number",
        ], problems);
    }

    [Fact]
    public void A_table_the_clone_lacks_is_stale_naming_the_file_and_line()
    {
        var problem = Assert.Single(Problems(ShopPolicy + "\n  invoices: truncate\n", Shop()));

        Assert.Equal($"{File}:16: table public.invoices: the clone has no such table (renamed or dropped?), so the policy is stale; remove or rename it", problem);
    }

    [Theory]
    [InlineData("created_at: email", "public.customers.created_at (timestamp with time zone): email writes text, which does not fit a timestamp column; it fits character columns (text, varchar, char). Strategies for this column: keep, date-shift, constant, sql")]
    [InlineData("status: { date-shift: 3 }", "public.customers.status (character varying(20)): date-shift moves dates, which does not fit a text column; it fits date and timestamp columns. Strategies for this column: keep, email, phone, name, text, postal-code, hash, constant, sql")]
    [InlineData("full_name: null", "public.customers.full_name (text): null needs a nullable column, and this one is NOT NULL")]
    [InlineData("status: { constant: \"much too long for twenty\" }", "public.customers.status (character varying(20)): constant 'much too long for twenty' has 24 characters; the column holds 20")]
    [InlineData("created_at: { constant: yesterday }", "public.customers.created_at (timestamp with time zone): constant 'yesterday' is not a timestamp value (e.g. 2000-01-01T00:00:00Z)")]
    [InlineData("email: { constant: nobody@example.invalid }", "public.customers.email (character varying(255)): constant writes one value to every row, but the column is unique")]
    [InlineData("email: name", "public.customers.email (character varying(255)): name repeats values across rows, but the column is unique")]
    [InlineData("id: email", "public.customers.id (bigint): email on a key column (part of the primary key); keys, row counts and foreign keys must not change, so keep it")]
    public void A_strategy_that_does_not_fit_its_column_is_refused_with_what_fits(string line, string expected)
    {
        var lines = ShopPolicy.Split('\n').ToList();
        var customersColumn = lines.FindIndex(l => l.StartsWith($"      {line[..line.IndexOf(':', StringComparison.Ordinal)]}:", StringComparison.Ordinal));
        lines[customersColumn] = "      " + line;
        var policy = string.Join("\n", lines);

        var problem = Assert.Single(Problems(policy, Shop()));

        Assert.Contains(": " + expected, problem, StringComparison.Ordinal);
        Assert.Matches($"^{File.Replace(".", "\\.", StringComparison.Ordinal)}:[0-9]+: ", problem);
    }

    [Fact]
    public void A_foreign_key_column_may_not_be_masked()
    {
        var policy = ShopPolicy.Replace("customer_id: keep", "customer_id: { constant: 1 }", StringComparison.Ordinal);

        var problem = Assert.Single(Problems(policy, Shop()));

        Assert.Equal($"{File}:14: public.orders.customer_id (bigint): constant on a key column (in the foreign key to public.customers); keys, row counts and foreign keys must not change, so keep it", problem);
    }

    [Fact]
    public void A_masked_table_without_a_primary_key_needs_key()
    {
        var catalog = Catalog(Table("signups", [], Text("code", 20, nullable: false), Text("email", 255)));
        const string Without = "tables:\n  signups:\n    columns:\n      code: keep\n      email: email\n";
        const string With = "tables:\n  signups:\n    key: [code]\n    columns:\n      code: keep\n      email: email\n";

        var problem = Assert.Single(Problems(Without, catalog));
        var plan = Gate(With, catalog).Plan;

        Assert.Equal($"{File}:2: table public.signups masks email but has no primary key to derive the fakes from; name the kept column(s) that identify a row with key: [...], or truncate the table", problem);
        Assert.Equal(["code"], Assert.IsType<MaskPlan>(Assert.Single(plan!.Tables)).Key.Select(k => k.Name));
    }

    [Fact]
    public void Key_must_name_columns_of_the_table_that_are_kept()
    {
        var catalog = Catalog(Table("signups", [], Text("code", 20, nullable: false), Text("email", 255)));

        var problems = Problems("tables:\n  signups:\n    key: [ref, email]\n    columns:\n      code: keep\n      email: email\n", catalog);

        Assert.Equal(
        [
            $"{File}:3: table public.signups: key: ref is not a column of the table; its columns: code, email",
            $"{File}:6: public.signups.email (character varying(255)): email on a key column (named in key:); keys, row counts and foreign keys must not change, so keep it",
        ], problems);
    }

    [Fact]
    public void Truncating_a_table_that_a_kept_table_references_is_refused_and_truncating_both_is_not()
    {
        const string One = "tables:\n  customers: truncate\n  orders:\n    columns:\n      id: keep\n      customer_id: keep\n      total: keep\n";
        const string Both = "tables:\n  customers: truncate\n  orders: truncate\n";

        var problem = Assert.Single(Problems(One, Shop()));
        var plan = Gate(Both, Shop()).Plan!;

        Assert.Equal($"{File}:2: table public.customers: truncate would break the foreign key from public.orders (customer_id), which is not truncated; truncate public.orders too, or mask public.customers column by column", problem);
        Assert.Equal(2, plan.Truncated.Count);
    }

    [Fact]
    public void A_generated_column_cannot_be_masked()
    {
        var catalog = Catalog(Table("people", ["id"], Id(), Text("first_name"), new CatalogColumn("display_name", "text", TypeFamily.Text, null, true, Generated: true)));

        var problem = Assert.Single(Problems("tables:\n  people:\n    columns:\n      id: keep\n      first_name: name\n      display_name: name\n", catalog));

        Assert.EndsWith("public.people.display_name (text): a generated column, which the database computes from other columns and cannot be written; keep it and mask the columns it is computed from", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Schemas_limits_the_closed_world_and_a_table_outside_it_is_an_error()
    {
        var catalog = Shop() with { Tables = [.. Shop().Tables, new CatalogTable("audit", "events", [Id()], ["id"])] };
        var limited = "schemas: [public]\n" + ShopPolicy;

        Assert.Contains(Problems(ShopPolicy, catalog), p => p.Contains("unclassified column audit.events.id (bigint)", StringComparison.Ordinal));
        Assert.True(Gate(limited, catalog).Passed);
        Assert.Contains(Problems(limited + "\n  audit.events: truncate\n", catalog),
            p => p == $"{File}:17: table audit.events: schema audit is not covered (schemas: public); add it to schemas: or remove the table");
    }

    [Fact]
    public void Unqualified_names_mean_the_connections_default_schema_and_listing_a_table_twice_is_an_error()
    {
        var problem = Assert.Single(Problems(ShopPolicy + "\n  public.orders: truncate\n", Shop()));

        Assert.Equal($"{File}:16: table public.orders is listed twice (also on line 11); keep one", problem);
    }

    [Fact]
    public void Without_a_default_schema_unqualified_names_are_an_error_saying_so()
    {
        var catalog = Shop(EngineFamily.MySql) with { DefaultSchema = null };

        Assert.All(Problems(ShopPolicy, catalog).Take(2), p => Assert.Contains("unqualified, but the connection has no default schema", p, StringComparison.Ordinal));
    }

    [Fact]
    public void Keep_all_keeps_every_column_and_counts_them_as_kept()
    {
        var plan = Gate(ShopPolicy.Replace("  orders:\n    columns:\n      id: keep\n      customer_id: keep\n      total: keep", "  orders: { keep-all: \"business data\" }", StringComparison.Ordinal), Shop()).Plan!;

        Assert.IsType<KeepAllPlan>(plan.Tables[1]);
        Assert.Equal(6, plan.KeptColumns);
    }
}
