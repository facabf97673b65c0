using System.Security.Cryptography;
using System.Text;

namespace QaDatabases.Naming;

/// <summary>
/// Physical names of everything a stack creates, all derived from the stack name so that an
/// environment is recognisable in the AWS console and two stacks never share a name.
/// </summary>
public sealed record ResourceNames
{
    /// <summary>
    /// RDS identifiers may have 63 characters; the longest name we derive is the instance's
    /// (<c>{base}-db-g999-1</c>), so the base keeps below that.
    /// </summary>
    public const int MaxBaseLength = 50;

    private const int HashLength = 6;

    /// <summary>The highest clone generation: keeps the longest identifier within RDS's 63 characters.</summary>
    public const int MaxGeneration = 999;

    private ResourceNames(string baseName, int generation) => (Base, Generation) = (baseName, generation);

    /// <summary>The stack name mapped to a valid RDS identifier stem.</summary>
    public string Base { get; }

    /// <summary>Which clone of the environment this is: 1 for the first, raised by each re-clone.</summary>
    public int Generation { get; }

    /// <summary>
    /// <c>{base}-db</c> for the first clone, <c>{base}-db-g{n}</c> after a re-clone: a new identifier is
    /// what makes the provider replace the cluster when <c>cloneGeneration</c> is raised.
    /// </summary>
    public string ClusterIdentifier => Generation == 1 ? $"{Base}-db" : $"{Base}-db-g{Generation}";

    public string InstanceIdentifier => $"{ClusterIdentifier}-1";

    /// <summary>EC2 refuses group names that start with "sg-", the prefix of its own ids.</summary>
    public string SecurityGroupName => Base.StartsWith("sg-", StringComparison.Ordinal) ? $"qa-{Base}-db" : $"{Base}-db";

    /// <summary>
    /// Maps any Pulumi stack name (upper case, '/', '_', '.', long branch names) to a valid RDS
    /// identifier stem: lower-case letters, digits and single hyphens, starting with a letter.
    /// A name that is already valid is kept as it is; any other gets a short hash of the original
    /// appended, so two different stack names can never map to the same identifier.
    /// </summary>
    public static ResourceNames ForStack(string stackName, int generation = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stackName);
        ArgumentOutOfRangeException.ThrowIfLessThan(generation, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(generation, MaxGeneration);

        var body = Sanitize(stackName);
        if (body == stackName && body.Length <= MaxBaseLength)
        {
            return new ResourceNames(body, generation);
        }

        var room = MaxBaseLength - HashLength - 1;
        var trimmed = body.Length > room ? body[..room].TrimEnd('-') : body;
        return new ResourceNames($"{trimmed}-{ShortHash(stackName)}", generation);
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
