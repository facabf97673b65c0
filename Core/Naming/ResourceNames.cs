using System.Security.Cryptography;
using System.Text;

namespace QaDatabases.Naming;

/// <summary>
/// Physical names of everything a stack creates, all derived from the stack name so that an
/// environment is recognisable in the AWS console and two stacks never share a name. Every name
/// starts with the clone prefix (<c>qadb-</c> by default): it is what the deployer role's IAM policy
/// scopes its RDS permissions to, so a name without it is one the role cannot create, change or
/// delete. A suffix would be no guard (<c>billing-db</c> matches <c>*-db</c>); a prefix is.
/// </summary>
public sealed record ResourceNames
{
    /// <summary>The prefix a stack's clones get unless <c>clonePrefix</c> says otherwise.</summary>
    public const string DefaultPrefix = "qadb-";

    /// <summary>RDS identifiers may have 63 characters.</summary>
    public const int MaxIdentifierLength = 63;

    /// <summary>What the longest identifier adds after the base: a generation and the instance number.</summary>
    private const string LongestSuffix = "-g999-1";

    private const int HashLength = 6;

    /// <summary>The highest clone generation: keeps the longest identifier within RDS's 63 characters.</summary>
    public const int MaxGeneration = 999;

    /// <summary>What a reader host name adds to the writer's.</summary>
    public const string ReaderHostSuffix = "-ro";

    private ResourceNames(string prefix, string baseName, string hostBase, int generation) =>
        (Prefix, Base, HostBase, Generation) = (prefix, baseName, hostBase, generation);

    /// <summary>The clone prefix every identifier starts with.</summary>
    public string Prefix { get; }

    /// <summary>The stack name mapped to a valid RDS identifier stem.</summary>
    public string Base { get; }

    /// <summary>
    /// The stem of the stable host names: <see cref="Base"/>, except that a base ending in
    /// <see cref="ReaderHostSuffix"/> takes the hashed form, so stack <c>orders-ro</c>'s writer name can
    /// never be stack <c>orders</c>'s reader name.
    /// </summary>
    public string HostBase { get; }

    /// <summary>Which clone of the environment this is: 1 for the first, raised by each re-clone.</summary>
    public int Generation { get; }

    /// <summary>
    /// <c>{prefix}{base}</c> for the first clone, <c>{prefix}{base}-g{n}</c> after a re-clone: a new
    /// identifier is what makes the provider replace the cluster when <c>cloneGeneration</c> is raised.
    /// </summary>
    public string ClusterIdentifier => Generation == 1 ? $"{Prefix}{Base}" : $"{Prefix}{Base}-g{Generation}";

    public string InstanceIdentifier => $"{ClusterIdentifier}-1";

    /// <summary>Stays the same across re-clones. The prefix never starts with "sg-" (EC2's own id prefix).</summary>
    public string SecurityGroupName => $"{Prefix}{Base}";

    /// <summary>
    /// The first label of the writer's stable host name (<c>{label}.{zone}</c>): the first clone's
    /// identifier, and the same for every generation, so a refresh keeps the name. It starts with the
    /// prefix, which is what the deployer role's Route 53 permission is scoped to.
    /// </summary>
    public string WriterHostLabel => $"{Prefix}{HostBase}";

    /// <summary>The first label of the reader's stable host name; at most 59 characters, within DNS's 63.</summary>
    public string ReaderHostLabel => $"{Prefix}{HostBase}{ReaderHostSuffix}";

    /// <summary>The longest base that keeps <c>{prefix}{base}-g999-1</c> within RDS's 63 characters.</summary>
    public static int MaxBaseLength(string prefix) => MaxIdentifierLength - prefix.Length - LongestSuffix.Length;

    /// <summary>
    /// Maps any Pulumi stack name (upper case, '/', '_', '.', long branch names) to a valid RDS
    /// identifier stem: lower-case letters, digits and single hyphens, starting with a letter.
    /// A name that is already valid is kept as it is; any other gets a short hash of the original
    /// appended, so two different stack names can never map to the same identifier.
    /// </summary>
    /// <param name="stackName">The Pulumi stack name.</param>
    /// <param name="generation">The clone generation, 1 to <see cref="MaxGeneration"/>.</param>
    /// <param name="prefix">A clone prefix that passed <see cref="ClonePrefix.Problem"/>.</param>
    public static ResourceNames ForStack(string stackName, int generation = 1, string prefix = DefaultPrefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stackName);
        ArgumentOutOfRangeException.ThrowIfLessThan(generation, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(generation, MaxGeneration);
        if (ClonePrefix.Problem(prefix) is { } problem)
        {
            throw new ArgumentException($"clone prefix '{prefix}' {problem}", nameof(prefix));
        }

        var maxBase = MaxBaseLength(prefix);
        var body = Sanitize(stackName);
        var room = maxBase - HashLength - 1;
        var hashed = $"{(body.Length > room ? body[..room].TrimEnd('-') : body)}-{ShortHash(stackName)}";
        var baseName = body == stackName && body.Length <= maxBase ? body : hashed;

        // A hashed base ends in hex digits, never in "-ro".
        var hostBase = baseName.EndsWith(ReaderHostSuffix, StringComparison.Ordinal) ? hashed : baseName;
        return new ResourceNames(prefix, baseName, hostBase, generation);
    }

    private static string Sanitize(string stackName)
    {
        var builder = new StringBuilder(stackName.Length + 3);
        foreach (var c in stackName.ToLowerInvariant())
        {
            var keep = c is >= 'a' and <= 'z' or >= '0' and <= '9';
            if (keep)
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var body = builder.ToString().Trim('-');
        return body.Length == 0 || body[0] is < 'a' or > 'z' ? $"qa-{body}".TrimEnd('-') : body;
    }

    private static string ShortHash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..HashLength];
}
