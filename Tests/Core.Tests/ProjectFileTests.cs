using System.Xml.Linq;
using QaDatabases.Configuration;
using QaDatabases.Hooks;
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
    public void Exactly_the_secret_keys_are_declared_secret_so_pulumi_accepts_only_encrypted_values_for_them()
    {
        var declared = DeclaredConfig();
        var secret = ConfigKeys.All.Where(key =>
            ((YamlMappingNode)declared.Children[new YamlScalarNode(key.Name)]).Children.TryGetValue(new YamlScalarNode("secret"), out var node)
            && ((YamlScalarNode)node).Value == "true").Select(k => k.Name);

        Assert.Equal(["maskingSalt"], secret);
        Assert.Equal(secret, ConfigKeys.All.Where(k => k.Secret).Select(k => k.Name));
    }

    [Fact]
    public void The_readme_documents_every_key()
    {
        var readme = File.ReadAllText(Repo.PathOf("README.md"));

        Assert.All(ConfigKeys.All, key => Assert.Contains($"| `{key.Name}` |", readme, StringComparison.Ordinal));
    }

    [Fact]
    public void The_program_builds_the_cli_its_commands_run_at_the_path_they_run_it_from()
    {
        var reference = XDocument.Load(Repo.PathOf("Infra.csproj")).Descendants("ProjectReference")
            .Single(r => (string?)r.Attribute("Include") == "Cli/QaDatabases.Cli.csproj");
        var framework = XDocument.Load(Repo.PathOf("Directory.Build.props")).Descendants("TargetFramework").Single().Value;
        var assembly = XDocument.Load(Repo.PathOf("Cli", "QaDatabases.Cli.csproj")).Descendants("AssemblyName").Single().Value;

        Assert.Equal("Configuration=Release", (string?)reference.Attribute("SetConfiguration"));
        Assert.Equal("false", (string?)reference.Attribute("ReferenceOutputAssembly"));
        Assert.Equal(ShippedCli.AssemblyPath, $"Cli/bin/Release/{framework}/{assembly}.dll");
    }

    [Fact]
    public async Task A_command_runs_the_shipped_cli_without_building_it()
    {
        using var project = new TempProject();
        project.Write(ShippedCli.AssemblyPath, "");
        project.Write("bin/dotnet", "#!/bin/sh\necho \"ran: $*\"\n");
        File.SetUnixFileMode(Path.Combine(project.Path, "bin", "dotnet"), UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var result = await Processes.RunAsync("/bin/sh", ["-c", ShippedCli.Run("pool report --pool 'qa-pool'")],
            new Dictionary<string, string> { ["PATH"] = $"{Path.Combine(project.Path, "bin")}:/usr/bin:/bin" }, project.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"ran: {ShippedCli.AssemblyPath} pool report --pool qa-pool", result.Stdout.Trim());
    }

    [Fact]
    public async Task A_command_says_in_one_line_that_the_cli_was_not_built_with_the_program()
    {
        using var project = new TempProject();

        var result = await Processes.RunAsync("/bin/sh", ["-c", ShippedCli.Run("pool report --pool 'qa-pool'")], new Dictionary<string, string>(), project.Path);

        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        Assert.Equal($"qa-db: {ShippedCli.AssemblyPath} is missing: it is built with the Pulumi program (Infra.csproj); run pulumi from the project directory so the program is built",
            result.Stderr.Trim());
    }
}
