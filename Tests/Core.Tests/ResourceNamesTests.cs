using System.Text.RegularExpressions;
using QaDatabases.Naming;

namespace QaDatabases.Tests;

public partial class ResourceNamesTests
{
    [Theory]
    [InlineData("qa-login-fix", "qa-login-fix")]
    [InlineData("pr-123", "pr-123")]
    [InlineData("qa", "qa")]
    public void A_stack_name_that_is_already_a_valid_identifier_is_kept(string stack, string expectedBase)
    {
        var names = ResourceNames.ForStack(stack);

        Assert.Equal(expectedBase, names.Base);
        Assert.Equal($"qadb-{expectedBase}", names.ClusterIdentifier);
        Assert.Equal($"qadb-{expectedBase}-1", names.InstanceIdentifier);
        Assert.Equal($"qadb-{expectedBase}", names.SecurityGroupName);
    }

    [Theory]
    [InlineData("Feature/Login-Fix", "feature-login-fix-")]
    [InlineData("pr-pulumi-acme-orders-service-1234", "pr-pulumi-acme-orders-service-1234")]
    [InlineData("dependabot/npm_and_yarn/frontend/webpack-dev-server-5.2.1", "dependabot-npm-and-yarn-frontend-webpack-")]
    [InlineData("123-hotfix", "qa-123-hotfix-")]
    [InlineData("release_2026.11", "release-2026-11-")]
    [InlineData("--weird--", "weird-")]
    [InlineData("UPPER", "upper-")]
    [InlineData("ünïcode-brånch", "n-code-br-nch-")]
    [InlineData("sg-team", "sg-team")]
    public void Any_stack_name_maps_to_a_valid_rds_identifier(string stack, string expectedPrefix)
    {
        var names = ResourceNames.ForStack(stack);

        Assert.StartsWith(expectedPrefix, names.Base, StringComparison.Ordinal);
        foreach (var identifier in new[] { names.ClusterIdentifier, names.InstanceIdentifier, names.SecurityGroupName })
        {
            Assert.StartsWith(ResourceNames.DefaultPrefix, identifier, StringComparison.Ordinal);
            Assert.Matches(RdsIdentifier(), identifier);
            Assert.DoesNotContain("--", identifier, StringComparison.Ordinal);
            Assert.True(identifier.Length <= 63, identifier);
        }

        Assert.False(names.SecurityGroupName.StartsWith("sg-", StringComparison.Ordinal), names.SecurityGroupName);
        Assert.Equal(names, ResourceNames.ForStack(stack)); // deterministic
    }

    [Fact]
    public void Names_that_sanitise_alike_still_get_different_identifiers()
    {
        var stacks = new[] { "feature-login", "Feature-Login", "feature/login", "feature_login", "FEATURE.LOGIN" };

        var bases = stacks.Select(s => ResourceNames.ForStack(s).Base).ToList();

        Assert.Equal(stacks.Length, bases.Distinct().Count());
    }

    [Fact]
    public void Long_names_that_share_a_prefix_stay_distinct_and_short()
    {
        var a = ResourceNames.ForStack("pr-" + new string('a', 80) + "-one");
        var b = ResourceNames.ForStack("pr-" + new string('a', 80) + "-two");

        Assert.NotEqual(a.Base, b.Base);
        Assert.True(a.Base.Length <= ResourceNames.MaxBaseLength(ResourceNames.DefaultPrefix));
    }

    [Fact]
    public void A_re_clone_gets_a_new_cluster_and_instance_identifier_but_keeps_the_group_name()
    {
        var first = ResourceNames.ForStack("qa-login-fix");
        var second = ResourceNames.ForStack("qa-login-fix", generation: 2);

        Assert.Equal(("qadb-qa-login-fix", "qadb-qa-login-fix-1"), (first.ClusterIdentifier, first.InstanceIdentifier));
        Assert.Equal(("qadb-qa-login-fix-g2", "qadb-qa-login-fix-g2-1"), (second.ClusterIdentifier, second.InstanceIdentifier));
        Assert.Equal(first.SecurityGroupName, second.SecurityGroupName);
    }

    [Theory]
    [InlineData("qadb-")]
    [InlineData("q-")]
    [InlineData("qa-clones-16chr-")]
    public void The_longest_identifier_fits_rds_limits_whatever_the_prefix(string prefix)
    {
        var names = ResourceNames.ForStack(new string('x', 200), ResourceNames.MaxGeneration, prefix);

        Assert.Equal(63, names.InstanceIdentifier.Length);
        Assert.Matches(RdsIdentifier(), names.InstanceIdentifier);
        Assert.StartsWith(prefix, names.InstanceIdentifier, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_prefix_starts_every_name()
    {
        var names = ResourceNames.ForStack("pr-7", 2, "acme-qa-");

        Assert.Equal(("acme-qa-pr-7-g2", "acme-qa-pr-7-g2-1", "acme-qa-pr-7"), (names.ClusterIdentifier, names.InstanceIdentifier, names.SecurityGroupName));
    }

    [Theory]
    [InlineData("qadb")]
    [InlineData("Qadb-")]
    [InlineData("1qa-")]
    [InlineData("sg-")]
    [InlineData("qa--")]
    [InlineData("qa_db-")]
    [InlineData("a-prefix-too-long-")]
    public void A_prefix_outside_the_rules_is_refused(string prefix)
    {
        Assert.NotNull(ClonePrefix.Problem(prefix));
        Assert.Throws<ArgumentException>(() => ResourceNames.ForStack("pr-7", 1, prefix));
    }

    [Fact]
    public void A_group_name_never_takes_ec2s_own_id_prefix()
    {
        Assert.Equal("qadb-sg-team", ResourceNames.ForStack("sg-team").SecurityGroupName);
        Assert.Contains("sg-", ClonePrefix.Problem("sg-qa-"), StringComparison.Ordinal);
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*[a-z0-9]$")]
    private static partial Regex RdsIdentifier();
}
