using QaDatabases.Configuration;
using QaDatabases.Golden;
using QaDatabases.Planning;
using QaDatabases.Tagging;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests.Golden;

/// <summary>The config of a golden stack and of a stack that clones one, read and refused before anything is declared.</summary>
public class GoldenConfigTests
{
    [Fact]
    public void Golden_config_reads_into_the_stacks_role()
    {
        Assert.Equal(GoldenRole.None, Settings.Read().Golden);
        Assert.Equal(new GoldenRole.Golden(TimeSpan.FromDays(7)), Settings.With(("golden", "true")).Golden);
        Assert.Equal(new GoldenRole.Golden(TimeSpan.FromHours(36)), Settings.With(("golden", "true"), ("goldenMaxAge", "36h")).Golden);
    }

    [Fact]
    public void A_consumer_whose_policy_hashes_needs_no_salt_because_its_gate_only_checks_the_digests()
    {
        using var project = new TempProject();
        project.Write("masking/policy.yaml", "tables:\n  customers:\n    columns:\n      id: keep\n      tax_id: hash\n");
        var raw = Settings.MinimalRaw();
        raw.Remove("sourceCluster");
        raw["sourceStack"] = "qa-golden";

        var settings = StackSettingsReader.Read(Settings.Context("pr-7"), raw, Settings.Now, project.Path);
        var plan = EnvironmentPlanner.Plan(settings, new("qadb-qa-golden-g2", "aurora-postgresql", "16.4", 5432, "prod-private", "orders"), project.Path);

        Assert.True(settings.Masking.PolicyUsesHash);
        Assert.Equal("gate", plan.Masking!.Name);
        Assert.False(plan.Masking.NeedsMaskingSalt);
    }

    [Fact]
    public void A_consumer_names_its_golden_stack_instead_of_a_source_cluster()
    {
        var raw = Settings.MinimalRaw();
        raw.Remove("sourceCluster");
        raw["sourceStack"] = "qa-golden";

        var settings = Settings.Read(raw);

        Assert.Equal(new GoldenRole.Consumer("qa-golden"), settings.Golden);
        Assert.Equal("", settings.SourceClusterIdentifier);
    }

    [Fact]
    public void A_stack_with_neither_source_cluster_nor_source_stack_is_told_it_needs_one()
    {
        var problem = Assert.Single(Settings.Problems(("sourceCluster", null)));

        Assert.Equal("sourceCluster", problem.Key);
        Assert.Contains("or set sourceStack to clone a golden stack's masked cluster instead", problem.Allowed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sourceCluster", "excludes sourceStack")]
    [InlineData("restoreTime", "earlier times of the golden hold data from before its masking")]
    [InlineData("maskingScripts", "runs no masking")]
    public void A_consumer_sets_nothing_that_belongs_to_a_source_cluster_or_its_masking(string key, string expected)
    {
        var values = new Dictionary<string, string?>
        {
            ["sourceCluster"] = null,
            ["sourceStack"] = "qa-golden",
            [key] = key switch
            {
                "sourceCluster" => "prod-orders",
                "restoreTime" => "2026-11-24T08:00:00Z",
                _ => "[\"masking/postgres/01-mask-personal-data.sql\"]",
            },
        };

        var problems = Settings.Problems([.. values.Select(v => (v.Key, v.Value))]);

        Assert.Contains(problems, p => p.Key == key && p.Allowed.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("poolSize", "3", "golden", "either a golden or a pool")]
    [InlineData("pool", "qa-pool", "golden", "cannot claim from pool qa-pool")]
    [InlineData("restoreTime", "2026-11-24T08:00:00Z", "restoreTime", "always clones the latest restorable time")]
    [InlineData("sourceStack", "other-golden", "sourceStack", "never another golden")]
    public void A_golden_is_an_ordinary_clone_of_its_source_at_the_latest_time_and_nothing_else(string key, string value, string problemKey, string expected)
    {
        var problems = Settings.Problems(("golden", "true"), (key, value));

        Assert.Contains(problems, p => p.Key == problemKey && p.Allowed.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("golden", "yes", "true or false")]
    [InlineData("goldenMaxAge", "30m", "from 1h to 90d")]
    [InlineData("sourceStack", "qa-login-fix", "this stack itself")]
    [InlineData("sourceStack", "my golden", "name of the golden stack")]
    public void Golden_config_problems_name_the_key_the_value_and_what_is_allowed(string key, string value, string expected)
    {
        var problems = Settings.Problems(("golden", key == "goldenMaxAge" ? "true" : "false"), (key, value), ("sourceCluster", key == "sourceStack" ? null : "prod-orders"));

        Assert.Contains(problems, p => p.Key == key && p.Value == value && p.Allowed.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_golden_and_a_clone_of_one_need_a_masking_policy()
    {
        Assert.Contains(Settings.Problems(("golden", "true"), ("maskingPolicy", null), ("maskingScripts", "[\"masking/postgres/01-mask-personal-data.sql\"]")),
            p => p.Key == "maskingPolicy" && p.Allowed.StartsWith("is required for a golden", StringComparison.Ordinal));
        Assert.Contains(Settings.Problems(("sourceCluster", null), ("sourceStack", "qa-golden"), ("maskingPolicy", null), ("allowUnmaskedData", "true")),
            p => p.Key == "maskingPolicy" && p.Allowed.StartsWith("is required to clone golden stack qa-golden", StringComparison.Ordinal));
    }

    [Fact]
    public void Golden_max_age_on_a_stack_that_is_not_a_golden_is_refused()
    {
        Assert.Contains(Settings.Problems(("goldenMaxAge", "1d")), p => p.Key == "goldenMaxAge" && p.Allowed.Contains("only when golden is true", StringComparison.Ordinal));
    }

    [Fact]
    public void A_golden_and_a_pool_tag_their_clusters_with_their_role_and_an_ordinary_stack_does_not()
    {
        Assert.Equal("golden", ResourceTags.For(Settings.With(("golden", "true")))[ResourceTags.Role]);
        Assert.Equal("pool-member", ResourceTags.For(Settings.With(("poolSize", "2")))[ResourceTags.Role]);
        Assert.False(ResourceTags.For(Settings.Read()).ContainsKey(ResourceTags.Role));
        Assert.False(ResourceTags.For(Settings.With(("pool", "qa-pool"))).ContainsKey(ResourceTags.Role));
    }
}
