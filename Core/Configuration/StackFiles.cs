using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace QaDatabases.Configuration;

/// <summary>
/// Reads a stack's config the way the Pulumi CLI resolves it, without the Pulumi CLI: the defaults
/// declared in <c>Pulumi.yaml</c>, overlaid by the values in <c>Pulumi.&lt;stack&gt;.yaml</c>. Values come
/// out as Pulumi's <c>Config.Get</c> returns them: scalars as text, lists as JSON. Used by the
/// <c>qa-db</c> CLI and by the access program, which reads the QA stacks it grants access for.
/// An encrypted value (<c>key: { secure: ... }</c>, what <c>pulumi config set --secret</c> writes)
/// cannot be decrypted offline: its key is listed in <see cref="Encrypted"/> and its value is
/// <see cref="EncryptedValue"/>, so validation knows it is set, and set as a secret, without knowing it.
/// </summary>
public sealed record StackFiles(string ProjectName, IReadOnlyDictionary<string, string> Config, string? AwsRegion, IReadOnlySet<string> Encrypted)
{
    /// <summary>What an encrypted value reads as offline: set, but not known.</summary>
    public const string EncryptedValue = "(encrypted)";

    public static StackFiles Read(string directory, string stack)
    {
        var projectFile = Path.Combine(directory, "Pulumi.yaml");
        var stackFile = Path.Combine(directory, $"Pulumi.{stack}.yaml");
        if (!File.Exists(projectFile))
        {
            throw new StackFileException($"no Pulumi.yaml in {Path.GetFullPath(directory)}");
        }

        if (!File.Exists(stackFile))
        {
            throw new StackFileException($"no stack file {stackFile}; create it with `pulumi stack init {stack}` and `pulumi config set`");
        }

        var project = Load(projectFile);
        var name = Scalar(project, "name") ?? throw new StackFileException($"{projectFile} has no name");
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        var encrypted = new SortedSet<string>(StringComparer.Ordinal);
        string? region = null;

        if (Child(project, "config") is YamlMappingNode declared)
        {
            foreach (var (keyNode, declaration) in declared.Children)
            {
                var key = StripNamespace(((YamlScalarNode)keyNode).Value!, name, out var foreign);
                if (declaration is YamlMappingNode d && Child(d, "default") is { } defaultValue)
                {
                    if (foreign == "aws" && key == "region")
                    {
                        region = Text(defaultValue);
                    }
                    else if (foreign is null)
                    {
                        config[key] = Text(defaultValue);
                    }
                }
            }
        }

        if (Child(Load(stackFile, StackFileKeys), "config") is YamlMappingNode values)
        {
            foreach (var (keyNode, value) in values.Children)
            {
                var key = StripNamespace(((YamlScalarNode)keyNode).Value!, name, out var foreign);
                if (foreign == "aws" && key == "region")
                {
                    region = Text(value);
                }
                else if (foreign is null && IsEncrypted(value))
                {
                    config[key] = EncryptedValue;
                    encrypted.Add(key);
                }
                else if (foreign is null)
                {
                    config[key] = Text(value);
                }
            }
        }

        return new StackFiles(name, config, region, encrypted);
    }

    /// <summary>The top-level keys Pulumi itself writes in project and stack files; anything else is a mistake.</summary>
    private static readonly string[] StackFileKeys = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"];

    private static YamlMappingNode Load(string path, string[]? allowedKeys = null)
    {
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlException e)
        {
            throw new StackFileException($"{path} is not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.Message}");
        }

        if (yaml.Documents.Count == 0)
        {
            // An empty stack file is what `pulumi stack init` leaves: no config yet.
            return new YamlMappingNode();
        }

        if (yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new StackFileException($"{path} is not a YAML mapping: its top level must hold keys such as config:");
        }

        if (allowedKeys is not null)
        {
            var unknown = root.Children.Keys.Select(k => (k as YamlScalarNode)?.Value ?? k.ToString())
                .Where(k => !allowedKeys.Contains(k, StringComparer.Ordinal)).ToList();
            if (unknown.Count > 0)
            {
                throw new StackFileException(
                    $"{path}: unexpected top-level key(s) {string.Join(", ", unknown.Select(k => $"'{k}'"))}; a stack file holds {string.Join(", ", allowedKeys.Select(k => k + ":"))}");
            }
        }

        if (Child(root, "config") is { } config and not YamlMappingNode)
        {
            throw new StackFileException($"{path}: config: must be a mapping of keys to values (line {config.Start.Line})");
        }

        return root;
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    /// <summary>"qa-db:ttl" and "ttl" are the project's key "ttl"; "aws:region" belongs to "aws".</summary>
    private static string StripNamespace(string key, string project, out string? foreignNamespace)
    {
        foreignNamespace = null;
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return key;
        }

        var ns = key[..colon];
        if (ns != project)
        {
            foreignNamespace = ns;
        }

        return key[(colon + 1)..];
    }

    private static bool IsEncrypted(YamlNode node) => node is YamlMappingNode map && map.Children.ContainsKey(new YamlScalarNode("secure"));

    private static string Text(YamlNode node) => node switch
    {
        YamlScalarNode scalar => scalar.Value ?? "",
        YamlSequenceNode sequence => JsonSerializer.Serialize(sequence.Children.Select(Text).ToList()),
        YamlMappingNode map when IsEncrypted(map) =>
            throw new StackFileException($"an encrypted (secure:) value inside a list or object at line {node.Start.Line} cannot be read offline; only whole values can be secrets"),
        _ => throw new StackFileException($"unsupported config value at line {node.Start.Line}"),
    };
}

/// <summary>A project or stack file is missing or cannot be read offline.</summary>
public sealed class StackFileException : Exception
{
    public StackFileException()
    {
    }

    public StackFileException(string message)
        : base(message)
    {
    }

    public StackFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
