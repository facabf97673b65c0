using Pulumi;
using Pulumi.Testing;
using QaDatabases.Pool;
using QaDatabases.Stacks;

namespace QaDatabases.Infra.Tests;

/// <summary>A child of the QaDatabase component, the args it was declared with and the resource options it was registered with.</summary>
internal sealed record RecordedOptions(string Type, string Name, ResourceArgs Args, ResourceOptions Options)
{
    public CustomResourceOptions Custom => (CustomResourceOptions)Options;
}

/// <summary>One mocked `pulumi up` of the program: what it registered, with which options, and its outputs.</summary>
internal sealed record ProgramRun(RecordingMocks Mocks, IReadOnlyList<RecordedOptions> Options, IDictionary<string, object?> Outputs)
{
    public const string SourceIdentifier = "prod-orders";

    static ProgramRun() => UseProjectDirectory();

    /// <summary>Masking script paths are relative to the Pulumi project directory, as under `pulumi up`.</summary>
    public static void UseProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml")))
            {
                Directory.SetCurrentDirectory(dir.FullName);
                break;
            }
        }
    }

    /// <summary>
    /// A valid stack config, with the given keys added or replaced. It masks with the repository's
    /// example policy over the direct route, as privacy by default requires of a stack that publishes a clone.
    /// </summary>
    public static Dictionary<string, string> Config(params (string Key, string Value)[] extra)
    {
        var config = new Dictionary<string, string>
        {
            ["sourceCluster"] = SourceIdentifier,
            ["vpcId"] = "vpc-0a1b2c3d4e5f60718",
            ["allowedCidrs"] = "[\"10.40.0.0/16\"]",
            ["allowedSecurityGroupIds"] = "[\"sg-0123456789abcdef0\"]",
            ["owner"] = "team-orders",
            ["pullRequest"] = "123",
            ["connectionRoute"] = "direct",
            ["maskingPolicy"] = "masking/policy.yaml",
        };
        foreach (var (key, value) in extra)
        {
            config[key] = value;
        }

        return config;
    }

    /// <summary>A stack that publishes its clone unmasked, knowingly: no policy, no scripts, no route, allowUnmaskedData.</summary>
    public static Dictionary<string, string> Unmasked(params (string Key, string Value)[] extra)
    {
        var config = Config(extra);
        config.Remove("maskingPolicy");
        config.Remove("connectionRoute");
        config["allowUnmaskedData"] = "true";
        return config;
    }

    /// <summary>
    /// Runs the program under mocks. A resource transformation on the component's options (which Pulumi
    /// applies to every child) records the options each child gets: mocks see only inputs.
    /// </summary>
    public static async Task<ProgramRun> UpAsync(
        Dictionary<string, string> config, bool preview = false, FakePreflight? preflight = null, string stack = "pr-123",
        RecordingMocks? mocks = null, IPoolStateSource? pools = null)
    {
        mocks ??= new RecordingMocks();
        var options = new List<RecordedOptions>();
        var componentOptions = new ComponentResourceOptions
        {
            ResourceTransformations =
            {
                args =>
                {
                    lock (options)
                    {
                        options.Add(new RecordedOptions(args.Resource.GetResourceType(), args.Resource.GetResourceName(), args.Args, args.Options));
                    }

                    return null;
                },
            },
        };

        IDictionary<string, object?> outputs = new Dictionary<string, object?>();
        await Deployment.TestAsync(mocks, new TestOptions { IsPreview = preview, ProjectName = "qa-db", StackName = stack }, async () =>
        {
            outputs = await QaDatabaseProgram.RunAsync(config, preflight ?? new FakePreflight(FakePreflight.Healthy), pools: pools, databaseOptions: componentOptions);
            return outputs;
        });
        return new ProgramRun(mocks, options, outputs);
    }

    /// <summary>The options of the one child of the given type and name.</summary>
    public RecordedOptions OptionsOf(string type, string name) => Assert.Single(Options, o => o.Type == type && o.Name == name);

    /// <summary>The names of the resources an option's DependsOn lists, once Pulumi has resolved them.</summary>
    public static async Task<IReadOnlyList<string>> DependsOnAsync(ResourceOptions options) =>
        (await QaDatabases.Testing.OutputValues.ValueAsync<System.Collections.Immutable.ImmutableArray<Resource>>((Output<System.Collections.Immutable.ImmutableArray<Resource>>)options.DependsOn))
            .Select(r => r.GetResourceName()).ToList();
}
