using Pulumi;
using QaDatabases.Access;

namespace QaDatabases.AccessProgram;

/// <summary>Reads the access program's config keys as strings, the form <see cref="AccessConfig.Read"/> validates.</summary>
internal static class AccessStackConfig
{
    public static IReadOnlyDictionary<string, string> Read()
    {
        var config = new Config(AccessConfig.Namespace);
        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in AccessConfig.Keys)
        {
            if (config.Get(key) is { } value)
            {
                raw[key] = value;
            }
        }

        return raw;
    }
}
