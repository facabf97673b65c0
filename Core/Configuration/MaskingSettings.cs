using System.Text.RegularExpressions;
using QaDatabases.Masking;

namespace QaDatabases.Configuration;

/// <summary>
/// How a stack's clone is masked before it is published: a masking policy (every column classified,
/// checked by a gate), scripts (in <see cref="Hooks.HookSettings.MaskingScripts"/>), both, or, only by
/// an explicit opt-in, neither. Privacy is the default: a clone of production carries its personal
/// data, so a stack that would publish one unmasked is refused unless it says so.
/// </summary>
/// <param name="PolicyPath">The policy file, relative to the project directory; null: no policy.</param>
/// <param name="PolicyFingerprint">SHA-256 of the policy's content (<see cref="MaskingPolicy.Fingerprint"/>): the masking hook re-runs when it changes.</param>
/// <param name="PolicyUsesHash">The policy has a <c>hash</c> column, so a masking pass needs the salt (a golden clone's gate does not).</param>
/// <param name="AllowUnmaskedData">The stack accepts publishing (or claiming) data nobody masked.</param>
public sealed partial record MaskingSettings(string? PolicyPath, string? PolicyFingerprint, bool PolicyUsesHash, bool AllowUnmaskedData)
{
    /// <summary>The shortest salt accepted: a short one could be guessed, and every hashed value with it.</summary>
    public const int MinimumSaltLength = 16;

    /// <summary>What the <c>masking</c> output says of a clone published under <c>allowUnmaskedData</c>.</summary>
    public const string UnmaskedSummary =
        "UNMASKED: allowUnmaskedData is true and neither maskingPolicy nor maskingScripts is set; this database holds the source's data as it is, personal data included";

    /// <summary>A stack that runs no policy.</summary>
    public static readonly MaskingSettings None = new(null, null, false, false);

    /// <summary>Reads and checks the masking keys, and the rule that nothing is published unmasked by default.</summary>
    /// <param name="get">The config value of a key (its default when unset).</param>
    /// <param name="raw">The keys the stack sets.</param>
    /// <param name="encryptedOffline">Keys stored encrypted in the stack file, when read offline; null: at <c>pulumi up</c>, where values arrive decrypted.</param>
    /// <param name="scripts">The stack's masking scripts (null: that key is invalid, already reported).</param>
    /// <param name="projectDirectory">Where relative paths point.</param>
    /// <param name="problems">Where problems are added.</param>
    internal static MaskingSettings? Parse(
        Func<ConfigKey, string> get, IReadOnlyDictionary<string, string> raw, IReadOnlySet<string>? encryptedOffline,
        IReadOnlyList<string>? scripts, string projectDirectory, ICollection<ConfigProblem> problems)
    {
        var before = problems.Count;
        var path = get(ConfigKeys.MaskingPolicy);
        string? fingerprint = null;
        var usesHash = false;
        if (path.Length > 0)
        {
            (fingerprint, usesHash) = LoadPolicy(path, projectDirectory, problems);
        }

        var routeRaw = get(ConfigKeys.ConnectionRoute);
        if (path.Length > 0 && routeRaw == "none" && scripts is not { Count: > 0 })
        {
            // With scripts too, the hook settings already said that masking cannot run over this route.
            problems.Add(new(ConfigKeys.ConnectionRoute.Name, routeRaw,
                "a masking policy is configured but cannot be applied: set direct or ssm-port-forward so `pulumi up` can reach the clone"));
        }

        ReadSalt(get, raw, encryptedOffline, path, usesHash, problems);

        var allowRaw = get(ConfigKeys.AllowUnmaskedData);
        bool? allow = bool.TryParse(allowRaw, out var parsed) ? parsed : null;
        if (allow is null)
        {
            problems.Add(new(ConfigKeys.AllowUnmaskedData.Name, allowRaw, "expected true or false"));
        }

        var masks = path.Length > 0 || scripts is not { Count: 0 };
        var claims = get(ConfigKeys.Pool).Length > 0;
        var clonesItself = !claims || get(ConfigKeys.PoolFallback) == "clone";
        if (allow == false && clonesItself && !masks)
        {
            var what = get(ConfigKeys.PoolSize) is { Length: > 0 } size && size != "0"
                ? "this pool's members would be published"
                : claims ? "the fresh clone this stack makes when the pool is empty (poolFallback: clone) would be published" : "the clone would be published";
            problems.Add(new(ConfigKeys.AllowUnmaskedData.Name, allowRaw,
                $"{what} with the source's data unmasked. Mask it: set {ConfigKeys.MaskingPolicy.Name} (a policy that classifies every column, e.g. masking/policy.yaml; "
                + $"`qa-db masking init` writes a first one) or {ConfigKeys.MaskingScripts.Name} (SQL files), with {ConfigKeys.ConnectionRoute.Name} direct or ssm-port-forward; "
                + $"or, to publish production's personal data knowingly, set {ConfigKeys.AllowUnmaskedData.Name} to true"));
        }
        else if (allow == true && masks && !claims)
        {
            problems.Add(new(ConfigKeys.AllowUnmaskedData.Name, allowRaw,
                $"has no effect: this stack masks its clone ({(path.Length > 0 ? ConfigKeys.MaskingPolicy.Name : ConfigKeys.MaskingScripts.Name)}); remove it"));
        }

        return problems.Count == before ? new MaskingSettings(path.Length > 0 ? path : null, fingerprint, usesHash, allow!.Value) : null;
    }

    private static (string? Fingerprint, bool UsesHash) LoadPolicy(string path, string projectDirectory, ICollection<ConfigProblem> problems)
    {
        if (!SafeRelativeYamlPath().IsMatch(path) || path.Split('/').Contains(".."))
        {
            problems.Add(new(ConfigKeys.MaskingPolicy.Name, path,
                "expected a .yaml path relative to the project directory, of letters, digits, '_', '-', '.' and '/', without '..'"));
            return (null, false);
        }

        var full = Path.Combine(projectDirectory, path);
        if (!File.Exists(full))
        {
            problems.Add(new(ConfigKeys.MaskingPolicy.Name, path, $"no such file under {projectDirectory}; `qa-db masking init --out {path}` writes one from a database"));
            return (null, false);
        }

        var content = File.ReadAllText(full);
        try
        {
            var policy = MaskingPolicyFile.Parse(path, content);
            return (MaskingPolicy.Fingerprint(content), policy.UsesHash);
        }
        catch (MaskingPolicyException e)
        {
            // One problem per FILE:LINE the policy reader found, so each is fixed where it points.
            foreach (var problem in e.Problems.DefaultIfEmpty(e.Message))
            {
                problems.Add(new(ConfigKeys.MaskingPolicy.Name, path, $"is not a valid masking policy: {problem}"));
            }

            return (null, false);
        }
    }

    private static void ReadSalt(
        Func<ConfigKey, string> get, IReadOnlyDictionary<string, string> raw, IReadOnlySet<string>? encryptedOffline, string policy, bool usesHash,
        ICollection<ConfigProblem> problems)
    {
        var key = ConfigKeys.MaskingSalt;
        var setSecret = $"`pulumi config set --secret {ConfigKeys.Project}:{key.Name} \"$(openssl rand -base64 32)\"`";
        var salt = get(key);
        var encrypted = encryptedOffline?.Contains(key.Name) ?? false;
        if (encryptedOffline is not null && raw.ContainsKey(key.Name) && !encrypted)
        {
            // Never echo the value: it is the secret.
            problems.Add(new(key.Name, ConfigProblem.SecretValue,
                $"is stored in plain text in the stack file, but it is a secret: remove it (`pulumi config rm {ConfigKeys.Project}:{key.Name}`) and set it with {setSecret}"));
        }
        else if (usesHash && salt.Length == 0 && get(ConfigKeys.SourceStack).Length == 0)
        {
            // A clone of a golden (sourceStack) runs only the gate, which never reads the salt: the
            // secret is needed, and so kept, only where hashing runs (the golden).
            problems.Add(new(key.Name, null,
                $"is required: masking policy {policy} uses the hash strategy, whose digests are salted with this secret; set it with {setSecret}"));
        }
        else if (salt.Length > 0 && !encrypted && salt.Length < MinimumSaltLength)
        {
            problems.Add(new(key.Name, ConfigProblem.SecretValue,
                $"is too short: at least {MinimumSaltLength} characters, so the hashed values cannot be guessed by trying salts; set a new one with {setSecret}"));
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_./-]*\.ya?ml$")]
    private static partial Regex SafeRelativeYamlPath();
}
