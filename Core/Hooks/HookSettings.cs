using System.Text.RegularExpressions;
using QaDatabases.Configuration;

namespace QaDatabases.Hooks;

/// <summary>How the machine that runs <c>pulumi up</c> reaches the clone to run post-clone hooks.</summary>
public enum ConnectionRoute
{
    /// <summary>
    /// It cannot: no masking, no smoke check; the clone is published once its instance is up. Allowed
    /// only with allowUnmaskedData, or on a stack that only claims pool members the pool masked.
    /// </summary>
    None,

    /// <summary>It is inside the VPC or peered with it (a self-hosted Deployments runner, a VPN).</summary>
    Direct,

    /// <summary>Through an EC2 bastion with the SSM agent: <c>aws ssm start-session</c> port forwarding.</summary>
    SsmPortForward,
}

/// <summary>What runs against the clone after its instance is available and before it is published.</summary>
public sealed partial record HookSettings(
    ConnectionRoute Route,
    string? BastionInstanceId,
    IReadOnlyList<string> MaskingScripts,
    string SmokeCheckQuery)
{
    public bool RunsHooks => Route != ConnectionRoute.None;

    private static readonly Dictionary<string, ConnectionRoute> Routes = new(StringComparer.Ordinal)
    {
        ["none"] = ConnectionRoute.None,
        ["direct"] = ConnectionRoute.Direct,
        ["ssm-port-forward"] = ConnectionRoute.SsmPortForward,
    };

    public static string RouteName(ConnectionRoute route) => Routes.First(r => r.Value == route).Key;

    internal static HookSettings? Parse(
        string routeRaw, string bastionRaw, IReadOnlyList<string>? scripts, string smokeQuery, string projectDirectory,
        ICollection<ConfigProblem> problems)
    {
        var before = problems.Count;
        if (!Routes.TryGetValue(routeRaw, out var route))
        {
            problems.Add(new(ConfigKeys.ConnectionRoute.Name, routeRaw, $"expected one of {string.Join(", ", Routes.Keys)}"));
        }

        string? bastion = string.IsNullOrWhiteSpace(bastionRaw) ? null : bastionRaw;
        if (route == ConnectionRoute.SsmPortForward && bastion is null)
        {
            problems.Add(new(ConfigKeys.BastionInstanceId.Name, null, "is required when connectionRoute is ssm-port-forward"));
        }
        else if (bastion is not null && !InstanceId().IsMatch(bastion))
        {
            problems.Add(new(ConfigKeys.BastionInstanceId.Name, bastion, "expected an EC2 instance id: i- followed by 8 or 17 hex digits"));
        }

        var files = scripts ?? [];
        if (files.Count > 0 && route == ConnectionRoute.None && Routes.ContainsKey(routeRaw))
        {
            problems.Add(new(ConfigKeys.ConnectionRoute.Name, routeRaw,
                "masking scripts are configured but cannot run: set direct or ssm-port-forward so `pulumi up` can reach the clone"));
        }

        foreach (var file in files)
        {
            if (!SafeRelativeSqlPath().IsMatch(file) || file.Split('/').Contains(".."))
            {
                problems.Add(new(ConfigKeys.MaskingScripts.Name, file,
                    "expected a .sql path relative to the project directory, of letters, digits, '_', '-', '.' and '/', without '..'"));
            }
            else if (!File.Exists(Path.Combine(projectDirectory, file)))
            {
                problems.Add(new(ConfigKeys.MaskingScripts.Name, file, $"no such file under {projectDirectory}"));
            }
        }

        if (string.IsNullOrWhiteSpace(smokeQuery))
        {
            problems.Add(new(ConfigKeys.SmokeCheckQuery.Name, smokeQuery, "expected a query, e.g. SELECT 1"));
        }

        return problems.Count == before ? new HookSettings(route, bastion, files, smokeQuery.Trim()) : null;
    }

    [GeneratedRegex("^i-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex InstanceId();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_./-]*\.sql$")]
    private static partial Regex SafeRelativeSqlPath();
}
