using QaDatabases.Masking;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests.Masking;

public class MaskingPolicyFileTests
{
    private const string File = "masking/policy.yaml";

    private static MaskingPolicy Parse(string yaml) => MaskingPolicyFile.Parse(File, yaml);

    private static string ProblemOf(string yaml) => Assert.Single(Assert.Throws<MaskingPolicyException>(() => Parse(yaml)).Problems);

    [Fact]
    public void The_shipped_example_policy_loads_with_every_table_of_the_shop_schema()
    {
        var policy = MaskingPolicyFile.Load(Repo.PathOf("masking", "policy.yaml"));

        Assert.Equal(["customers", "users", "orders"], policy.Tables.Select(t => t.Name.ToString()));
        Assert.Null(policy.Schemas);
        Assert.False(policy.UsesHash);
    }

    [Fact]
    public void Every_strategy_and_table_rule_is_read_with_its_parameter_and_line()
    {
        var policy = Parse("""
            schemas: [public, billing]
            tables:
              public.customers:
                key: [id]
                columns:
                  id: keep
                  email: email
                  phone: phone
                  full_name: name
                  notes: { text: "note-" }
                  zip: postal-code
                  birth_date: { date-shift: 30 }
                  middle_name: null
                  status: { constant: active }
                  tax_id: hash
                  prefs: { sql: "'{}'" }
              sessions: truncate
              countries: { keep-all: "reference data" }
            """);

        Assert.Equal(["public", "billing"], policy.Schemas);
        var customers = Assert.IsType<MaskTable>(policy.Tables[0]);
        Assert.Equal(new PolicyTableName("public", "customers"), customers.Name);
        Assert.Equal(["id"], customers.Key);
        Assert.Equal(
            ["keep", "email", "phone", "name", "text: note-", "postal-code", "date-shift: 30", "null", "constant: active", "hash", "sql: '{}'"],
            customers.Columns.Select(c => c.Strategy.Rule));
        Assert.Equal(Enumerable.Range(6, 11), customers.Columns.Select(c => c.Line));
        Assert.Equal(new TruncateTable(new PolicyTableName(null, "sessions"), 17), policy.Tables[1]);
        Assert.Equal(new KeepAllTable(new PolicyTableName(null, "countries"), 18, "reference data"), policy.Tables[2]);
        Assert.True(policy.UsesHash);
    }

    [Theory]
    [InlineData("middle_name: null")]
    [InlineData("middle_name: 'null'")]
    [InlineData("middle_name: \"null\"")]
    public void Null_is_the_strategy_that_writes_null_however_yaml_spells_it(string line)
    {
        var policy = Parse($"tables:\n  t:\n    columns:\n      {line}\n");

        Assert.Equal(StrategyKind.Null, Assert.IsType<MaskTable>(policy.Tables[0]).Columns[0].Strategy.Kind);
    }

    [Fact]
    public void Malformed_yaml_names_the_file_and_line()
    {
        var problem = ProblemOf("tables:\n  customers:\n    columns:\n      id: keep\n     email: email\n");

        Assert.StartsWith($"{File}:5: not valid YAML", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_strategy_names_the_file_line_and_what_is_allowed()
    {
        var problem = ProblemOf("tables:\n  customers:\n    columns:\n      id: keep\n      email: scramble\n");

        Assert.StartsWith($"{File}:5: customers.email: unknown strategy 'scramble'; allowed: keep, email, phone, name, {{ text: a prefix }}", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("notes: text", "notes: text needs a parameter (a prefix), e.g. notes: { text: \"note-\" }")]
    [InlineData("birth: date-shift", "birth: date-shift needs a parameter (the most days to shift, 1 to 36500)")]
    [InlineData("status: { constant: }", "status: constant: missing parameter: the value to write")]
    [InlineData("prefs: { sql: \"\" }", "prefs: sql: missing parameter: an expression")]
    [InlineData("birth: { date-shift: soon }", "birth: date-shift: 'soon' is not a number of days; write a whole number from 1 to 36500")]
    [InlineData("birth: { date-shift: 0 }", "birth: date-shift: '0' is not a number of days")]
    [InlineData("email: { email: x }", "email: email takes no parameter; write email: email")]
    [InlineData("email:", "email: no strategy; write keep or one of:")]
    public void A_missing_or_malformed_parameter_names_the_file_line_and_the_fix(string line, string expected)
    {
        var problem = ProblemOf($"tables:\n  customers:\n    columns:\n      {line}\n");

        Assert.StartsWith($"{File}:4: customers.", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tables:\n  a.b.c: truncate\n", 2, "'a.b.c' is not a table name")]
    [InlineData("tables:\n  sessions: drop\n", 2, "table sessions: 'drop' is not a table rule; allowed: truncate")]
    [InlineData("tables:\n  countries: { keep-all: \"\" }\n", 2, "keep-all needs its reason")]
    [InlineData("tables:\n  t:\n    key: [id]\n", 3, "table t: no columns:")]
    [InlineData("tables:\n  t:\n    colums:\n      id: keep\n", 3, "table t: 'colums' is not a table key; allowed: columns, key")]
    [InlineData("tabels:\n  t: truncate\n", 1, "'tabels' is not a policy key; allowed: schemas, tables")]
    [InlineData("schemas: public\ntables:\n  t: truncate\n", 1, "schemas: must be a list of schema names")]
    [InlineData("tables:\n  qa_db.masking_ledger: truncate\n", 2, "schema qa_db holds the tool's masking ledger")]
    [InlineData("- t: truncate\n", 1, "a policy is one YAML mapping with the keys schemas, tables")]
    [InlineData("tables:\n  t: truncate\n  t: truncate\n", 3, "Duplicate key")]
    public void A_malformed_policy_shape_names_the_file_and_line(string yaml, int line, string expected)
    {
        var problem = Assert.Throws<MaskingPolicyException>(() => Parse(yaml)).Problems[0];

        Assert.StartsWith($"{File}:{line}:", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_at_once()
    {
        var problems = Assert.Throws<MaskingPolicyException>(() => Parse("tables:\n  a:\n    columns:\n      x: scramble\n  b: drop\n")).Problems;

        Assert.Equal([$"{File}:4:", $"{File}:5:"], problems.Select(p => p[..(p.IndexOf(": ", StringComparison.Ordinal) + 1)]));
    }

    [Fact]
    public void An_sql_expression_that_could_escape_its_column_is_an_error_at_its_line()
    {
        var problem = ProblemOf("tables:\n  customers:\n    columns:\n      notes: { sql: \"'x'; DROP TABLE customers; --\" }\n");

        Assert.StartsWith($"{File}:4: customers.notes: sql: the expression could escape its column: ';' would end the statement", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        var problem = Assert.Throws<MaskingPolicyException>(() => MaskingPolicyFile.Load("no/such/policy.yaml")).Message;

        Assert.StartsWith("no/such/policy.yaml: cannot read the masking policy", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fingerprint_is_the_sha256_of_the_content_whatever_its_line_endings()
    {
        const string Unix = "tables:\n  t: truncate\n";

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("tables:\n  t: truncate\n"u8)), MaskingPolicy.Fingerprint(Unix));
        Assert.Equal(MaskingPolicy.Fingerprint(Unix), MaskingPolicy.Fingerprint("tables:\r\n  t: truncate\r\n"));
        Assert.NotEqual(MaskingPolicy.Fingerprint(Unix), MaskingPolicy.Fingerprint("tables:\n  t: truncate # why\n"));
        Assert.Equal(MaskingPolicy.Fingerprint(Unix), Parse(Unix).ContentFingerprint);
    }

    [Fact]
    public void The_readmes_example_policy_loads_and_its_strategy_table_names_every_strategy()
    {
        var readme = System.IO.File.ReadAllText(Repo.PathOf("README.md"));
        var section = readme[readme.IndexOf("## Masking policy", StringComparison.Ordinal)..];
        var start = section.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var example = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];

        var policy = MaskingPolicyFile.Parse("README.md", example);

        Assert.Equal(["customers", "signups", "sessions", "countries"], policy.Tables.Select(t => t.Name.ToString()));
        Assert.All(StrategyCatalog.All, s => Assert.Contains($"| `{(s.ParameterName is null ? s.Name : $"{{ {s.Name}: ")}", section, StringComparison.Ordinal));
    }

    [Fact]
    public void Only_a_policy_that_hashes_needs_the_salt()
    {
        Assert.False(Parse("tables:\n  t:\n    columns:\n      a: email\n").UsesHash);
        Assert.True(Parse("tables:\n  t:\n    columns:\n      a: hash\n").UsesHash);
    }
}
