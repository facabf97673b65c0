using QaDatabases.Hooks;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

/// <summary>
/// The gate hook of a clone of a golden, on every engine: no masking pass, only the policy's gate and
/// the proof that the data is masked. The seeded shop database stands in for the clone; the golden's
/// masking is the policy hook run on it first.
/// </summary>
public abstract partial class HookScriptContract
{
    protected string GateHook() => HookScripts.Gate(Engine, ConnectionRoute.Direct, "masking/policy.yaml");

    [Fact]
    public async Task The_gate_hook_of_a_clone_of_a_golden_changes_nothing_and_passes_on_masked_data()
    {
        var database = await SeededCloneAsync();
        using var project = MaskingProject(database);
        Assert.Equal(0, (await Bash.RunAsync(PolicyHook(), MaskingEnvironment(database), project.Path)).ExitCode);
        var masked = await RowsAsync(database, Personal);

        var result = await Bash.RunAsync(GateHook(), MaskingEnvironment(database), project.Path);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = Assert.Single(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^policy masking/policy\.yaml: \d+ columns to mask in \d+ tables, \d+ tables to truncate, \d+ kept; gate passed; masked data verified$", line);
        Assert.Equal(masked, await RowsAsync(database, Personal));
    }

    [Fact]
    public async Task The_gate_hook_refuses_a_clone_whose_data_was_never_masked()
    {
        var database = await SeededCloneAsync();
        using var project = MaskingProject(database);
        var before = await RowsAsync(database, Personal);

        var result = await Bash.RunAsync(GateHook(), MaskingEnvironment(database), project.Path);

        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("is not masked as the policy says", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await RowsAsync(database, Personal));
    }

    [Fact]
    public async Task The_gate_hook_refuses_a_clone_of_a_golden_masked_under_an_older_policy()
    {
        var database = await SeededCloneAsync();
        using var older = MaskingProject(database, ShopPolicy.Replace("full_name: name ", "full_name: keep ", StringComparison.Ordinal));
        Assert.Equal(0, (await Bash.RunAsync(PolicyHook(), MaskingEnvironment(database), older.Path)).ExitCode);
        using var current = MaskingProject(database);

        var result = await Bash.RunAsync(GateHook(), MaskingEnvironment(database), current.Path);

        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        Assert.Contains("full_name", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }
}
