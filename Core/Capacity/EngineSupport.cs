using System.Globalization;
using System.Text.RegularExpressions;

namespace QaDatabases.Capacity;

/// <summary>The two Aurora engines a clone can be made of, and what each supports.</summary>
public enum EngineFamily
{
    PostgreSql,
    MySql,
}

/// <summary>
/// Which Aurora engine versions support which Serverless v2 features. Aurora Serverless v2 and its
/// scale-to-zero (auto-pause) arrived in specific minor versions of each major line; asking for
/// them on an older clone fails only after many minutes of restore, so the program refuses first.
/// Sources: "Aurora Serverless v2 supported Regions and engines" and "Scaling to zero ACUs with
/// automatic pause and resume" in the Aurora user guide.
/// </summary>
public static partial class EngineSupport
{
    /// <summary>Lowest Aurora PostgreSQL minor version per major line that allows min capacity 0.</summary>
    public static readonly IReadOnlyDictionary<int, int> PostgreSqlScaleToZero = new Dictionary<int, int>
    {
        [13] = 15,
        [14] = 12,
        [15] = 7,
        [16] = 3,
    };

    /// <summary>Lowest Aurora PostgreSQL minor version per major line that has Serverless v2.</summary>
    public static readonly IReadOnlyDictionary<int, int> PostgreSqlServerless = new Dictionary<int, int>
    {
        [13] = 6,
        [14] = 3,
        [15] = 2,
        [16] = 1,
    };

    /// <summary>Aurora MySQL 3 (MySQL 8.0 compatible) release that allows min capacity 0.</summary>
    public static readonly Version MySqlScaleToZero = new(3, 8, 0);

    /// <summary>Aurora MySQL 3 release that has Serverless v2.</summary>
    public static readonly Version MySqlServerless = new(3, 2, 0);

    public const string ScaleToZeroVersions =
        "Aurora PostgreSQL 13.15, 14.12, 15.7, 16.3 or later (any 17+), or Aurora MySQL 3.08.0 or later";

    public const string ServerlessVersions =
        "Aurora PostgreSQL 13.6, 14.3, 15.2, 16.1 or later (any 17+), or Aurora MySQL 3.02.0 or later";

    public static EngineFamily? FamilyOf(string engine) => engine switch
    {
        "aurora-postgresql" => EngineFamily.PostgreSql,
        "aurora-mysql" => EngineFamily.MySql,
        _ => null,
    };

    public static bool SupportsServerless(EngineFamily family, string engineVersion) =>
        AtLeast(family, engineVersion, PostgreSqlServerless, MySqlServerless);

    public static bool SupportsScaleToZero(EngineFamily family, string engineVersion) =>
        AtLeast(family, engineVersion, PostgreSqlScaleToZero, MySqlScaleToZero);

    private static bool AtLeast(EngineFamily family, string engineVersion, IReadOnlyDictionary<int, int> postgres, Version mysql)
    {
        if (family == EngineFamily.PostgreSql)
        {
            var match = PostgresVersion().Match(engineVersion);
            if (!match.Success)
            {
                return false;
            }

            var major = int.Parse(match.Groups["major"].Value, CultureInfo.InvariantCulture);
            var minor = int.Parse(match.Groups["minor"].Value, CultureInfo.InvariantCulture);
            var newestListed = postgres.Keys.Max();
            return major > newestListed || (postgres.TryGetValue(major, out var lowest) && minor >= lowest);
        }

        // Aurora MySQL versions read like 8.0.mysql_aurora.3.08.0: the Aurora release is the tail.
        var aurora = MySqlAuroraVersion().Match(engineVersion);
        return aurora.Success && Version.Parse(aurora.Groups["release"].Value) >= mysql;
    }

    [GeneratedRegex(@"^(?<major>\d+)\.(?<minor>\d+)")]
    private static partial Regex PostgresVersion();

    [GeneratedRegex(@"mysql_aurora\.(?<release>\d+\.\d+\.\d+)")]
    private static partial Regex MySqlAuroraVersion();
}
