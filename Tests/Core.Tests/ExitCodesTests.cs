using System.Reflection;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

/// <summary>The README's "Exit codes" table stays the list in <see cref="ExitCodes"/>.</summary>
public class ExitCodesTests
{
    [Fact]
    public void The_readme_lists_every_exit_code_once_and_no_other()
    {
        var readme = File.ReadAllText(Repo.PathOf("README.md"));
        var section = readme[readme.IndexOf("## Exit codes", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        var documented = section.Split('\n')
            .Select(line => System.Text.RegularExpressions.Regex.Match(line, @"^\| (\d+) \|"))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        var codes = typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (int)f.GetValue(null)!).Order().ToList();

        Assert.Equal(codes, documented);
    }
}
