using QaDatabases.Masking;
using static QaDatabases.Tests.Masking.CatalogBuilder;

namespace QaDatabases.Tests.Masking;

public class PolicyDraftTests
{
    [Fact]
    public void The_draft_masks_personal_columns_with_the_reason_keeps_the_rest_and_passes_its_own_gate()
    {
        var catalog = Shop();

        var yaml = PolicyDraft.Write(catalog, samples: null);
        var gate = MaskingGate.Check(MaskingPolicyFile.Parse("draft.yaml", yaml), catalog);

        Assert.Contains("  customers:\n    columns:\n      id: keep\n      email: email  # name suggests an e-mail address\n", yaml, StringComparison.Ordinal);
        Assert.Contains("      birth_date: { date-shift: 365 }  # name suggests a date of birth\n", yaml, StringComparison.Ordinal);
        Assert.Contains("      status: keep\n", yaml, StringComparison.Ordinal);
        Assert.True(gate.Passed, string.Join("\n", gate.Problems));
        Assert.Equal(4, gate.Plan!.MaskedColumns);
    }

    [Fact]
    public void Sampled_values_mask_a_column_whose_name_says_nothing()
    {
        var catalog = Catalog(Table("payments", ["id"], Id(), Text("instrument", 19)));

        var yaml = PolicyDraft.Write(catalog, (_, column) => column.Name == "instrument" ? ["4111111111111111", "5555555555554444"] : null);

        Assert.Contains("      instrument: { constant: \"4111111111111111\" }  # 2 of 2 sampled values look like card numbers (Luhn-valid)\n", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void A_personal_looking_key_is_kept_with_the_reason_why()
    {
        var catalog = Catalog(Table("accounts", ["email"], Text("email", 255, nullable: false), Text("plan")));

        var yaml = PolicyDraft.Write(catalog, samples: null);

        Assert.Contains("      email: keep  # name suggests an e-mail address, but it is a key (part of the primary key): kept, since keys must not change\n", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_without_a_primary_key_gets_its_kept_columns_as_key()
    {
        var catalog = Catalog(Table("signups", [], Text("code", 20, nullable: false), Text("email", 255), Column("signed_up_on", TypeFamily.Date, "date")));

        var yaml = PolicyDraft.Write(catalog, samples: null);
        var gate = MaskingGate.Check(MaskingPolicyFile.Parse("draft.yaml", yaml), catalog);

        Assert.Contains("  signups:\n    key: [code, signed_up_on]  # no primary key", yaml, StringComparison.Ordinal);
        Assert.True(gate.Passed, string.Join("\n", gate.Problems));
    }

    [Fact]
    public void A_database_without_tables_gets_an_empty_policy_that_still_gates_tables_added_later()
    {
        var yaml = PolicyDraft.Write(Catalog(), samples: null);
        var policy = MaskingPolicyFile.Parse("draft.yaml", yaml);

        Assert.True(MaskingGate.Check(policy, Catalog()).Passed);
        Assert.False(MaskingGate.Check(policy, Shop()).Passed);
    }

    [Fact]
    public void Names_yaml_would_misread_are_quoted()
    {
        Assert.Equal("\"yes\": keep", PolicyDraft.ColumnLine("yes", MaskingStrategy.Keep, null));
        Assert.Equal("\"odd name\": { text: \"a \\\"b\\\"\" }  # why", PolicyDraft.ColumnLine("odd name", new MaskingStrategy(StrategyKind.Text, "a \"b\""), "why"));
    }
}
