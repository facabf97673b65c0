using QaDatabases.Configuration;
using QaDatabases.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace QaDatabases.Tests;

/// <summary>Pulumi.yaml and the README stay in step with the keys the program reads.</summary>
public class ProjectFileTests
{
    private static YamlMappingNode DeclaredConfig()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Repo.PathOf("Pulumi.yaml"));
        yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return (YamlMappingNode)root.Children[new YamlScalarNode("config")];
    }

    [Fact]
    public void Pulumi_yaml_declares_exactly_the_keys_the_program_reads()
    {
        var declared = DeclaredConfig().Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();

        Assert.Equal(ConfigKeys.All.Select(k => k.Name), declared);
    }

    [Fact]
    public void Each_declaration_has_the_programs_type_default_and_a_description()
    {
        var declared = DeclaredConfig();
        foreach (var key in ConfigKeys.All)
        {
            var d = (YamlMappingNode)declared.Children[new YamlScalarNode(key.Name)];
            Assert.Equal(key.Type.ToString().ToLowerInvariant(), ((YamlScalarNode)d.Children[new YamlScalarNode("type")]).Value);
            Assert.False(string.IsNullOrWhiteSpace(((YamlScalarNode)d.Children[new YamlScalarNode("description")]).Value), key.Name);
            var hasDefault = d.Children.TryGetValue(new YamlScalarNode("default"), out var defaultNode);
            Assert.Equal(key.Default is not null, hasDefault);
            if (hasDefault)
            {
                var text = defaultNode is YamlSequenceNode seq ? (seq.Children.Count == 0 ? "[]" : "?") : ((YamlScalarNode)defaultNode!).Value;
                Assert.Equal(key.Default, text);
            }
        }
    }

    [Fact]
    public void The_readme_documents_every_key()
    {
        var readme = File.ReadAllText(Repo.PathOf("README.md"));

        Assert.All(ConfigKeys.All, key => Assert.Contains($"| `{key.Name}` |", readme, StringComparison.Ordinal));
    }
}
