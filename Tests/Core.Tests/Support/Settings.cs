using QaDatabases.Configuration;

namespace QaDatabases.Tests.Support;

/// <summary>Builds valid raw config and settings for tests, so each test states only what it varies.</summary>
internal static class Settings
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static StackContext Context(string stack = "qa-login-fix") => new("acme", "qa-db", stack);

    /// <summary>
    /// The least config a stack that publishes a clone needs: a source, a VPC, clients, and masking,
    /// which privacy by default requires (the repository's example policy, applied over the direct route).
    /// </summary>
    public static Dictionary<string, string> MinimalRaw() => new(StringComparer.Ordinal)
    {
        ["sourceCluster"] = "prod-orders",
        ["vpcId"] = "vpc-0a1b2c3d4e5f60718",
        ["allowedCidrs"] = "[\"10.40.0.0/16\"]",
        ["connectionRoute"] = "direct",
        ["maskingPolicy"] = "masking/policy.yaml",
    };

    public static StackSettings Read(Dictionary<string, string>? raw = null, string stack = "qa-login-fix") =>
        StackSettingsReader.Read(Context(stack), raw ?? MinimalRaw(), Now, Repo.Root);

    public static StackSettings With(params (string Key, string Value)[] values)
    {
        var raw = MinimalRaw();
        foreach (var (key, value) in values)
        {
            raw[key] = value;
        }

        return Read(raw);
    }

    /// <summary>Reads config that must be refused and returns the problems.</summary>
    public static IReadOnlyList<ConfigProblem> Problems(params (string Key, string? Value)[] values)
    {
        var raw = MinimalRaw();
        foreach (var (key, value) in values)
        {
            if (value is null)
            {
                raw.Remove(key);
            }
            else
            {
                raw[key] = value;
            }
        }

        return Assert.Throws<ConfigValidationException>(() => Read(raw)).Problems;
    }
}
