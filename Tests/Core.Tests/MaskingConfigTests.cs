using QaDatabases.Configuration;
using QaDatabases.Masking;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

/// <summary>
/// The masking keys (maskingPolicy, maskingSalt, allowUnmaskedData) and privacy by default: nothing
/// is published unmasked unless the stack says so, and every problem names its key, value and what is allowed.
/// </summary>
public class MaskingConfigTests
{
    private const string Policy = """
        tables:
          customers:
            columns:
              id: keep
              email: email
          sessions: truncate
        """;

    private const string HashingPolicy = """
        tables:
          customers:
            columns:
              id: keep
              tax_id: hash
        """;

    private const string Salt = "a-salt-of-more-than-16-characters";

    /// <summary>A stack with neither a policy nor scripts: what a new user's first config looks like.</summary>
    private static Dictionary<string, string> Unmasked(params (string Key, string Value)[] values)
    {
        var raw = Settings.MinimalRaw();
        raw.Remove("maskingPolicy");
        raw.Remove("connectionRoute");
        foreach (var (key, value) in values)
        {
            raw[key] = value;
        }

        return raw;
    }

    private static IReadOnlyList<ConfigProblem> Refused(Dictionary<string, string> raw, string? projectDirectory = null, IReadOnlySet<string>? encrypted = null) =>
        Assert.Throws<ConfigValidationException>(() => Read(raw, projectDirectory, encrypted)).Problems;

    private static StackSettings Read(Dictionary<string, string> raw, string? projectDirectory = null, IReadOnlySet<string>? encrypted = null, string stack = "qa-login-fix") =>
        StackSettingsReader.Read(Settings.Context(stack), raw, Settings.Now, projectDirectory ?? Repo.Root, encrypted);

    /// <summary>A project with one policy file at masking/policy.yaml.</summary>
    private static TempProject ProjectWith(string policy)
    {
        var project = new TempProject();
        project.Write("masking/policy.yaml", policy);
        return project;
    }

    [Fact]
    public void A_clone_with_neither_a_policy_nor_scripts_is_refused_naming_allow_unmasked_data_and_both_ways_to_mask()
    {
        var problem = Assert.Single(Refused(Unmasked()));

        Assert.Equal(("allowUnmaskedData", "false"), (problem.Key, problem.Value));
        Assert.StartsWith("the clone would be published with the source's data unmasked", problem.Allowed, StringComparison.Ordinal);
        Assert.Contains("set maskingPolicy", problem.Allowed, StringComparison.Ordinal);
        Assert.Contains("qa-db masking init", problem.Allowed, StringComparison.Ordinal);
        Assert.Contains("or maskingScripts", problem.Allowed, StringComparison.Ordinal);
        Assert.Contains("set allowUnmaskedData to true", problem.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void Unmasked_data_is_published_only_with_the_explicit_opt_in()
    {
        var settings = Read(Unmasked(("allowUnmaskedData", "true")));

        Assert.True(settings.Masking.AllowUnmaskedData);
        Assert.Null(settings.Masking.PolicyPath);
        Assert.Empty(settings.Hooks.MaskingScripts);
    }

    [Fact]
    public void A_pool_is_refused_when_its_members_would_be_published_unmasked()
    {
        var problem = Assert.Single(Refused(Unmasked(("poolSize", "3"))));

        Assert.Equal("allowUnmaskedData", problem.Key);
        Assert.StartsWith("this pool's members would be published with the source's data unmasked", problem.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stack_that_only_claims_needs_no_masking_of_its_own_since_the_pool_masked_its_members()
    {
        var settings = Read(Unmasked(("pool", "qa-pool")));

        Assert.False(settings.Masking.AllowUnmaskedData);
        Assert.Equal(Hooks.ConnectionRoute.None, settings.Hooks.Route);
    }

    [Fact]
    public void A_claiming_stack_that_falls_back_to_its_own_clone_must_mask_that_clone()
    {
        var problem = Assert.Single(Refused(Unmasked(("pool", "qa-pool"), ("poolFallback", "clone"))));

        Assert.Equal("allowUnmaskedData", problem.Key);
        Assert.Contains("(poolFallback: clone) would be published with the source's data unmasked", problem.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void Allowing_unmasked_data_on_a_stack_that_masks_is_refused_as_having_no_effect()
    {
        var problem = Assert.Single(Settings.Problems(("allowUnmaskedData", "true")));

        Assert.Equal(("allowUnmaskedData", "true"), (problem.Key, problem.Value));
        Assert.Equal("has no effect: this stack masks its clone (maskingPolicy); remove it", problem.Allowed);
    }

    [Fact]
    public void A_claiming_stack_may_allow_unmasked_data_to_accept_unmasked_pool_members()
    {
        Assert.True(Read(Unmasked(("pool", "qa-pool"), ("allowUnmaskedData", "true"))).Masking.AllowUnmaskedData);
    }

    [Fact]
    public void Allow_unmasked_data_is_a_boolean()
    {
        var problem = Assert.Single(Settings.Problems(("allowUnmaskedData", "yes")));

        Assert.Equal(("allowUnmaskedData", "yes", "expected true or false"), (problem.Key, problem.Value, problem.Allowed));
    }

    [Fact]
    public void A_policy_without_a_route_is_refused_because_it_could_not_be_applied()
    {
        var problem = Assert.Single(Settings.Problems(("connectionRoute", "none")));

        Assert.Equal(("connectionRoute", "none"), (problem.Key, problem.Value));
        Assert.StartsWith("a masking policy is configured but cannot be applied: set direct or ssm-port-forward", problem.Allowed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../policy.yaml", "relative to the project directory")]
    [InlineData("/etc/policy.yaml", "relative to the project directory")]
    [InlineData("masking/policy.json", "expected a .yaml path")]
    [InlineData("masking/absent.yaml", "no such file under")]
    public void The_policy_path_must_be_an_existing_yaml_file_inside_the_project(string path, string allowed)
    {
        var problem = Assert.Single(Settings.Problems(("maskingPolicy", path)));

        Assert.Equal(("maskingPolicy", path), (problem.Key, problem.Value));
        Assert.Contains(allowed, problem.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_policy_is_refused_under_its_key_with_the_file_and_line_of_each_problem()
    {
        using var project = ProjectWith("""
            tables:
              customers:
                columns:
                  id: keep
                  email: scramble
            """);
        var raw = Settings.MinimalRaw();

        var problem = Assert.Single(Refused(raw, project.Path));

        Assert.Equal(("maskingPolicy", "masking/policy.yaml"), (problem.Key, problem.Value));
        Assert.StartsWith("is not a valid masking policy: masking/policy.yaml:5: ", problem.Allowed, StringComparison.Ordinal);
        Assert.Contains("scramble", problem.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_policy_is_loaded_with_its_fingerprint()
    {
        using var project = ProjectWith(Policy);

        var masking = Read(Settings.MinimalRaw(), project.Path).Masking;

        Assert.Equal("masking/policy.yaml", masking.PolicyPath);
        Assert.Equal(MaskingPolicy.Fingerprint(Policy), masking.PolicyFingerprint);
        Assert.False(masking.PolicyUsesHash);
    }

    [Fact]
    public void A_policy_that_hashes_requires_the_salt_and_says_how_to_set_it_as_a_secret()
    {
        using var project = ProjectWith(HashingPolicy);

        var problem = Assert.Single(Refused(Settings.MinimalRaw(), project.Path));

        Assert.Equal(("maskingSalt", null), (problem.Key, problem.Value));
        Assert.StartsWith("is required: masking policy masking/policy.yaml uses the hash strategy", problem.Allowed, StringComparison.Ordinal);
        Assert.Contains("pulumi config set --secret qa-db:maskingSalt", problem.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_that_hashes_runs_with_a_salt()
    {
        using var project = ProjectWith(HashingPolicy);
        var raw = Settings.MinimalRaw();
        raw["maskingSalt"] = Salt;

        Assert.True(Read(raw, project.Path).Masking.PolicyUsesHash);
    }

    [Fact]
    public void A_short_salt_is_refused_without_showing_it()
    {
        using var project = ProjectWith(HashingPolicy);
        var raw = Settings.MinimalRaw();
        raw["maskingSalt"] = "short-salt";

        var problem = Assert.Single(Refused(raw, project.Path));

        Assert.Equal(("maskingSalt", ConfigProblem.SecretValue), (problem.Key, problem.Value));
        Assert.StartsWith("is too short: at least 16 characters", problem.Allowed, StringComparison.Ordinal);
        Assert.DoesNotContain("short-salt", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Offline_a_salt_stored_in_plain_text_is_refused_without_showing_it()
    {
        using var project = ProjectWith(HashingPolicy);
        var raw = Settings.MinimalRaw();
        raw["maskingSalt"] = Salt;

        var problem = Assert.Single(Refused(raw, project.Path, encrypted: new HashSet<string>()));

        Assert.Equal(("maskingSalt", ConfigProblem.SecretValue), (problem.Key, problem.Value));
        Assert.Contains("is stored in plain text in the stack file, but it is a secret", problem.Allowed, StringComparison.Ordinal);
        Assert.Contains("pulumi config set --secret qa-db:maskingSalt", problem.Allowed, StringComparison.Ordinal);
        Assert.DoesNotContain(Salt, problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Offline_an_encrypted_salt_counts_as_set_though_its_value_is_unknown()
    {
        using var project = ProjectWith(HashingPolicy);
        var raw = Settings.MinimalRaw();
        raw["maskingSalt"] = StackFiles.EncryptedValue;

        Assert.True(Read(raw, project.Path, encrypted: new HashSet<string> { "maskingSalt" }).Masking.PolicyUsesHash);
    }
}
