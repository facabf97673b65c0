using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using QaDatabases.Configuration;

namespace QaDatabases.Network;

/// <summary>
/// Who may open a connection to the clone: only the CIDR blocks and security groups the config names,
/// only on the engine's port. The internet (0.0.0.0/0, ::/0) is refused unless explicitly opted in.
/// </summary>
public sealed partial record IngressPolicy(
    IReadOnlyList<string> Ipv4Cidrs,
    IReadOnlyList<string> Ipv6Cidrs,
    IReadOnlyList<string> SecurityGroupIds)
{
    public bool AdmitsNobody => Ipv4Cidrs.Count == 0 && Ipv6Cidrs.Count == 0 && SecurityGroupIds.Count == 0;

    internal static IngressPolicy? Parse(
        IReadOnlyList<string>? cidrs, IReadOnlyList<string>? groups, bool allowPublic, ICollection<ConfigProblem> problems)
    {
        var before = problems.Count;
        var v4 = new List<string>();
        var v6 = new List<string>();
        foreach (var raw in cidrs ?? [])
        {
            if (!TryNormalizeCidr(raw, out var cidr, out var family))
            {
                problems.Add(new(ConfigKeys.AllowedCidrs.Name, raw,
                    "expected a CIDR block with its host bits zero, e.g. 10.20.0.0/16 or 2001:db8::/48"));
                continue;
            }

            if (cidr.EndsWith("/0", StringComparison.Ordinal) && !allowPublic)
            {
                problems.Add(new(ConfigKeys.AllowedCidrs.Name, raw,
                    $"opens the database to the whole internet; name narrower ranges, or set {ConfigKeys.Project}:{ConfigKeys.AllowPublicIngress.Name}=true if you really mean it"));
                continue;
            }

            var list = family == AddressFamily.InterNetwork ? v4 : v6;
            if (!list.Contains(cidr))
            {
                list.Add(cidr);
            }
        }

        var sgs = new List<string>();
        foreach (var raw in groups ?? [])
        {
            if (!SecurityGroupId().IsMatch(raw))
            {
                problems.Add(new(ConfigKeys.AllowedSecurityGroupIds.Name, raw, "expected a security group id: sg- followed by 8 or 17 hex digits"));
            }
            else if (!sgs.Contains(raw))
            {
                sgs.Add(raw);
            }
        }

        return problems.Count == before ? new IngressPolicy(v4, v6, sgs) : null;
    }

    /// <summary>Parses a CIDR block; refuses one with host bits set, which AWS would reject or silently widen.</summary>
    internal static bool TryNormalizeCidr(string raw, out string cidr, out AddressFamily family)
    {
        cidr = "";
        family = AddressFamily.Unspecified;
        var slash = raw.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !IPAddress.TryParse(raw[..slash], out var address)
            || !int.TryParse(raw[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix))
        {
            return false;
        }

        family = address.AddressFamily;
        var bits = family == AddressFamily.InterNetwork ? 32 : 128;
        if (prefix > bits || (family == AddressFamily.InterNetwork && raw[..slash].Count(c => c == '.') != 3))
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            var mask = keep == 0 ? 0 : (byte)(0xFF << (8 - keep));
            if ((bytes[i] & ~mask & 0xFF) != 0)
            {
                return false;
            }
        }

        cidr = $"{address}/{prefix}";
        return true;
    }

    [GeneratedRegex("^sg-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex SecurityGroupId();
}
