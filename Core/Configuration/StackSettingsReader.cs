using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using QaDatabases.Capacity;
using QaDatabases.Expiry;
using QaDatabases.Hooks;
using QaDatabases.Network;
using QaDatabases.Restore;

namespace QaDatabases.Configuration;

/// <summary>
/// Turns the stack's raw config (key without namespace → string, arrays as JSON, as Pulumi's
/// <c>Config.Get</c> returns them) into <see cref="StackSettings"/>, or throws one
/// <see cref="ConfigValidationException"/> listing every problem.
/// </summary>
public static partial class StackSettingsReader
{
    /// <param name="context">The stack.</param>
    /// <param name="raw">The config keys the stack sets, as text.</param>
    /// <param name="now">The time expiry and restore times are checked against.</param>
    /// <param name="projectDirectory">Where the masking scripts and policy are.</param>
    /// <param name="encryptedOffline">
    /// Read offline from the stack file (<see cref="StackFiles.Encrypted"/>): the keys stored encrypted,
    /// whose values are not known. Null at <c>pulumi up</c>, where Pulumi hands over decrypted values.
    /// </param>
    public static StackSettings Read(
        StackContext context, IReadOnlyDictionary<string, string> raw, DateTimeOffset now, string projectDirectory,
        IReadOnlySet<string>? encryptedOffline = null)
    {
        var problems = new List<ConfigProblem>();
        string Get(ConfigKey key) => raw.TryGetValue(key.Name, out var v) && v is not null ? v.Trim() : key.Default ?? "";

        foreach (var unknown in raw.Keys.Where(k => ConfigKeys.All.All(c => c.Name != k)).Order(StringComparer.Ordinal))
        {
            problems.Add(new(unknown, raw[unknown], $"is not a key this program reads; known keys: {string.Join(", ", ConfigKeys.All.Select(k => k.Name))}"));
        }

        var source = Get(ConfigKeys.SourceCluster);
        if (source.Length == 0)
        {
            problems.Add(new(ConfigKeys.SourceCluster.Name, null, "is required: the identifier of the Aurora cluster to clone"));
        }
        else if (!RdsIdentifier().IsMatch(source) || source.Contains("--", StringComparison.Ordinal))
        {
            problems.Add(new(ConfigKeys.SourceCluster.Name, source, "expected an RDS cluster identifier: 1-63 letters, digits and single hyphens, starting with a letter, not ending with a hyphen"));
        }

        var clonePrefix = Get(ConfigKeys.ClonePrefix);
        if (Naming.ClonePrefix.Problem(clonePrefix) is { } prefixProblem)
        {
            problems.Add(new(ConfigKeys.ClonePrefix.Name, clonePrefix, prefixProblem));
        }
        else if (source.Length > 0 && Naming.ClonePrefix.Covers(clonePrefix, source))
        {
            // The deployer role may change and delete whatever is named with the prefix: a source
            // named so would fall inside that scope.
            problems.Add(new(ConfigKeys.SourceCluster.Name, source,
                $"starts with the clone prefix '{clonePrefix}' ({ConfigKeys.ClonePrefix.Name}), which would put the source inside the scope the deployer role may modify and delete; choose another {ConfigKeys.ClonePrefix.Name}"));
        }

        var vpc = Get(ConfigKeys.VpcId);
        if (vpc.Length == 0)
        {
            problems.Add(new(ConfigKeys.VpcId.Name, null, "is required: the VPC of the clone's security group, vpc- followed by 8 or 17 hex digits"));
        }
        else if (!VpcId().IsMatch(vpc))
        {
            problems.Add(new(ConfigKeys.VpcId.Name, vpc, "expected a VPC id: vpc- followed by 8 or 17 hex digits"));
        }

        var subnetGroup = Get(ConfigKeys.DbSubnetGroupName);
        if (subnetGroup.Length > 0 && !SubnetGroupName().IsMatch(subnetGroup))
        {
            problems.Add(new(ConfigKeys.DbSubnetGroupName.Name, subnetGroup, "expected a DB subnet group name: up to 255 letters, digits, spaces, '.', '_' or '-', or empty for the source's"));
        }

        var restore = RestoreChoice.Parse(Get(ConfigKeys.RestoreTime), now, problems);
        var sizing = ReadSizing(raw, Get, problems);
        var ingress = IngressPolicy.Parse(
            ReadList(ConfigKeys.AllowedCidrs, Get, problems),
            ReadList(ConfigKeys.AllowedSecurityGroupIds, Get, problems),
            ReadBool(ConfigKeys.AllowPublicIngress, Get, problems) ?? false,
            problems);
        var ssmPrefix = ReadSsmPrefix(Get(ConfigKeys.SsmPrefix), context, problems);
        var expiry = ExpiryPolicy.Parse(Get(ConfigKeys.Ttl), Get(ConfigKeys.ExpiresAt), now, problems);

        var generationRaw = Get(ConfigKeys.CloneGeneration);
        if (!int.TryParse(generationRaw, NumberStyles.None, CultureInfo.InvariantCulture, out var generation) || generation < 1 || generation > Naming.ResourceNames.MaxGeneration)
        {
            problems.Add(new(ConfigKeys.CloneGeneration.Name, generationRaw, $"expected a whole number from 1 to {Naming.ResourceNames.MaxGeneration}"));
        }

        var pullRequest = Get(ConfigKeys.PullRequest);
        if (pullRequest.Length == 0 && ReviewStackName().Match(context.Stack) is { Success: true } review)
        {
            // Review stacks (pr-123, pr-acme-orders-123) carry their PR number in the name, so a
            // per-PR stack needs no hand-set config to be tagged with it.
            pullRequest = review.Groups["number"].Value;
        }
        else if (pullRequest.Length > 0 && !PullRequestNumber().IsMatch(pullRequest))
        {
            problems.Add(new(ConfigKeys.PullRequest.Name, pullRequest, "expected a pull request number such as 123, or empty"));
        }

        var scripts = ReadList(ConfigKeys.MaskingScripts, Get, problems);
        var hooks = HookSettings.Parse(
            Get(ConfigKeys.ConnectionRoute), Get(ConfigKeys.BastionInstanceId), scripts, Get(ConfigKeys.SmokeCheckQuery), projectDirectory, problems);
        var masking = MaskingSettings.Parse(Get, raw, encryptedOffline, scripts, projectDirectory, problems);

        var database = Get(ConfigKeys.DatabaseName);
        if (database.Length > 0 && !DatabaseName().IsMatch(database))
        {
            problems.Add(new(ConfigKeys.DatabaseName.Name, database, "expected a database name: a letter, then up to 62 letters, digits or '_'"));
        }

        var preflight = ReadBool(ConfigKeys.Preflight, Get, problems);
        var poolRole = Pool.PoolRole.Parse(raw, Get, context, problems);
        var dnsZoneId = Dns.HostNames.ParseZoneId(Get(ConfigKeys.DnsZoneId), problems);
        var maxEnvironments = Preflight.EnvironmentCap.ParseMax(Get(ConfigKeys.MaxEnvironments), poolRole, problems);

        if (problems.Count > 0)
        {
            throw new ConfigValidationException(problems);
        }

        return new StackSettings
        {
            Context = context,
            SourceClusterIdentifier = source,
            VpcId = vpc,
            DbSubnetGroupName = subnetGroup.Length == 0 ? null : subnetGroup,
            Restore = restore!,
            Sizing = sizing!,
            Ingress = ingress!,
            SsmPrefix = ssmPrefix!,
            Owner = NullIfEmpty(Get(ConfigKeys.Owner)),
            PullRequest = NullIfEmpty(pullRequest),
            Branch = NullIfEmpty(Get(ConfigKeys.Branch)),
            Expiry = expiry!,
            CloneGeneration = generation,
            Hooks = hooks!,
            Masking = masking!,
            DatabaseName = NullIfEmpty(database),
            RunPreflight = preflight!.Value,
            ClonePrefix = clonePrefix,
            Pool = poolRole!,
            DnsZoneId = dnsZoneId,
            MaxEnvironments = maxEnvironments,
        };
    }

    private static InstanceSizing? ReadSizing(
        IReadOnlyDictionary<string, string> raw, Func<ConfigKey, string> get, List<ConfigProblem> problems)
    {
        var instanceClass = get(ConfigKeys.InstanceClass);
        if (instanceClass == ServerlessScaling.InstanceClass)
        {
            var scaling = ServerlessScaling.Parse(
                get(ConfigKeys.ServerlessMinCapacity), get(ConfigKeys.ServerlessMaxCapacity), get(ConfigKeys.SecondsUntilAutoPause), problems);
            return scaling is null ? null : new InstanceSizing.Serverless(scaling);
        }

        if (!ProvisionedClass().IsMatch(instanceClass) || instanceClass.StartsWith("db.serverless", StringComparison.Ordinal))
        {
            problems.Add(new(ConfigKeys.InstanceClass.Name, instanceClass, "expected db.serverless or a provisioned class of the form db.<family>.<size>, e.g. db.t4g.medium or db.r7g.large"));
            return null;
        }

        // Serverless settings on a provisioned instance would be silently meaningless: say so instead.
        foreach (var key in new[] { ConfigKeys.ServerlessMinCapacity, ConfigKeys.ServerlessMaxCapacity, ConfigKeys.SecondsUntilAutoPause })
        {
            if (raw.TryGetValue(key.Name, out var value) && value != key.Default)
            {
                problems.Add(new(key.Name, value, $"applies only when instanceClass is db.serverless (it is {instanceClass}); remove it"));
            }
        }

        return new InstanceSizing.Provisioned(instanceClass);
    }

    private static string? ReadSsmPrefix(string raw, StackContext context, List<ConfigProblem> problems)
    {
        if (raw.Length == 0)
        {
            return $"/qa/{context.Stack}/db/";
        }

        var prefix = raw.EndsWith('/') ? raw : raw + "/";
        var lower = prefix.ToLowerInvariant();
        if (!SsmPath().IsMatch(prefix) || prefix.Contains("//", StringComparison.Ordinal)
            || lower.StartsWith("/aws", StringComparison.Ordinal) || lower.StartsWith("/ssm", StringComparison.Ordinal)
            || prefix.Count(c => c == '/') > 14 || prefix.Length > 1000)
        {
            problems.Add(new(ConfigKeys.SsmPrefix.Name, raw,
                "expected an SSM path such as /qa/my-stack/db/: starts with '/', letters, digits and _ . - /, no '//', at most 13 levels, not under /aws or /ssm"));
            return null;
        }

        return prefix;
    }

    private static List<string>? ReadList(ConfigKey key, Func<ConfigKey, string> get, List<ConfigProblem> problems)
    {
        var raw = get(key);
        if (raw.Length == 0)
        {
            return [];
        }

        try
        {
            var items = JsonSerializer.Deserialize<List<string>>(raw);
            if (items is not null && items.All(i => !string.IsNullOrWhiteSpace(i)))
            {
                return items.Select(i => i.Trim()).ToList();
            }
        }
        catch (JsonException)
        {
        }

        problems.Add(new(key.Name, raw, "expected a list of non-empty strings (in stack YAML a list; on the CLI `pulumi config set --path '" + key.Name + "[0]' value`)"));
        return null;
    }

    private static bool? ReadBool(ConfigKey key, Func<ConfigKey, string> get, List<ConfigProblem> problems)
    {
        var raw = get(key);
        if (bool.TryParse(raw, out var value))
        {
            return value;
        }

        problems.Add(new(key.Name, raw, "expected true or false"));
        return null;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    [GeneratedRegex("^[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex RdsIdentifier();

    [GeneratedRegex("^vpc-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex VpcId();

    [GeneratedRegex(@"^[A-Za-z0-9 ._-]{1,255}$")]
    private static partial Regex SubnetGroupName();

    [GeneratedRegex("^[1-9][0-9]{0,9}$")]
    private static partial Regex PullRequestNumber();

    [GeneratedRegex("^pr-(?:.*-)?(?<number>[1-9][0-9]{0,9})$")]
    private static partial Regex ReviewStackName();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();

    [GeneratedRegex(@"^db\.[a-z][a-z0-9-]*\.[a-z0-9]+$")]
    private static partial Regex ProvisionedClass();

    [GeneratedRegex(@"^/[A-Za-z0-9_.\-/]*$")]
    private static partial Regex SsmPath();
}
