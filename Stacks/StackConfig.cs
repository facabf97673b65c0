using Pulumi;
using QaDatabases.Configuration;

namespace QaDatabases.Stacks;

/// <summary>Reads the stack's config keys as strings, the form <see cref="StackSettingsReader"/> validates.</summary>
internal static class StackConfig
{
    public static IReadOnlyDictionary<string, string> Read()
    {
        var config = new Config(ConfigKeys.Project);
        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in ConfigKeys.All)
        {
            if (config.Get(key.Name) is { } value)
            {
                raw[key.Name] = value;
            }
        }

        return raw;
    }

    /// <summary>The AWS region the provider deploys to, which the preflight's SDK client must use too.</summary>
    public static string? AwsRegion() => new Config("aws").Get("region");
}
