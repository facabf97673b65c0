using System.Text;

namespace QaDatabases.Tests.Support;

/// <summary>The shipped stack files, and the <c>qa</c> template switched to its documented "mask once" block.</summary>
internal static class StackTemplates
{
    /// <summary>The stacks a team that masks once runs: the template, the golden and the pool.</summary>
    public static readonly string[] MaskOnceStacks = ["qa", "qa-golden", "qa-pool"];

    /// <summary>
    /// <c>Pulumi.qa.yaml</c> as the README tells a team to edit it for the golden: its
    /// <c>sourceCluster</c> and <c>maskingScripts</c> replaced by the commented <c>qa-db:</c> lines.
    /// </summary>
    public static string MaskOnce(string template)
    {
        var text = new StringBuilder();
        var skipping = false;
        foreach (var line in template.Split('\n'))
        {
            var trimmed = line.TrimStart();
            if (skipping && trimmed.StartsWith("- ", StringComparison.Ordinal))
            {
                continue;
            }

            skipping = false;
            if (trimmed.StartsWith("qa-db:sourceCluster:", StringComparison.Ordinal) || trimmed.StartsWith("qa-db:maskingScripts:", StringComparison.Ordinal))
            {
                skipping = true;
                continue;
            }

            text.Append(trimmed.StartsWith("# qa-db:", StringComparison.Ordinal) ? line.Replace("# qa-db:", "qa-db:", StringComparison.Ordinal) : line).Append('\n');
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>
    /// A throwaway project directory with Pulumi.yaml, the masking files, the golden and pool stack files,
    /// the <c>qa</c> template as shipped (optionally with <paramref name="qaExtra"/> lines added) and, as
    /// <c>qa-mask-once</c>, the template switched to its "mask once" block.
    /// </summary>
    public static TempProject Project(string qaExtra = "")
    {
        var project = new TempProject();
        File.Copy(Repo.PathOf("Pulumi.yaml"), Path.Combine(project.Path, "Pulumi.yaml"));
        var template = File.ReadAllText(Repo.PathOf("Pulumi.qa.yaml"));
        project.Write("Pulumi.qa.yaml", template.TrimEnd() + "\n" + qaExtra);
        project.Write("Pulumi.qa-mask-once.yaml", MaskOnce(template));
        foreach (var stack in MaskOnceStacks.Skip(1))
        {
            File.Copy(Repo.PathOf($"Pulumi.{stack}.yaml"), Path.Combine(project.Path, $"Pulumi.{stack}.yaml"));
        }

        foreach (var file in Directory.EnumerateFiles(Repo.PathOf("masking"), "*", SearchOption.AllDirectories))
        {
            project.Write(Path.GetRelativePath(Repo.Root, file), File.ReadAllText(file));
        }

        return project;
    }
}
