using System.Globalization;
using QaDatabases.Configuration;

namespace QaDatabases.Capacity;

/// <summary>
/// Aurora Serverless v2 capacity in ACUs. A minimum of 0 lets an idle clone pause, so it costs
/// only storage while nobody tests; <see cref="SecondsUntilAutoPause"/> is set only then, because
/// AWS rejects it for a non-zero minimum.
/// </summary>
public sealed record ServerlessScaling(double MinCapacity, double MaxCapacity, int? SecondsUntilAutoPause)
{
    public const string InstanceClass = "db.serverless";
    public const double LowestCapacity = 0;
    public const double HighestCapacity = 256;
    public const double LowestMaximum = 1;
    public const int LowestAutoPause = 300;
    public const int HighestAutoPause = 86_400;

    public bool PausesWhenIdle => MinCapacity == 0;

    internal static ServerlessScaling? Parse(string minRaw, string maxRaw, string pauseRaw, ICollection<ConfigProblem> problems)
    {
        var min = ParseCapacity(ConfigKeys.ServerlessMinCapacity.Name, minRaw, LowestCapacity, problems);
        var max = ParseCapacity(ConfigKeys.ServerlessMaxCapacity.Name, maxRaw, LowestMaximum, problems);
        int? pause = null;
        if (!int.TryParse(pauseRaw, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds < LowestAutoPause || seconds > HighestAutoPause)
        {
            problems.Add(new(ConfigKeys.SecondsUntilAutoPause.Name, pauseRaw, $"expected whole seconds from {LowestAutoPause} to {HighestAutoPause}"));
        }
        else
        {
            pause = seconds;
        }

        if (min is { } lo && max is { } hi && hi < lo)
        {
            problems.Add(new(ConfigKeys.ServerlessMaxCapacity.Name, maxRaw, $"must be at least {ConfigKeys.ServerlessMinCapacity.Name} ({minRaw})"));
            return null;
        }

        if (min is null || max is null || pause is null)
        {
            return null;
        }

        return new ServerlessScaling(min.Value, max.Value, min.Value == 0 ? pause : null);
    }

    private static double? ParseCapacity(string key, string raw, double lowest, ICollection<ConfigProblem> problems)
    {
        var allowed = $"expected ACUs from {lowest.ToString(CultureInfo.InvariantCulture)} to {HighestCapacity} in steps of 0.5";
        if (!double.TryParse(raw, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || value < lowest || value > HighestCapacity || value * 2 != Math.Floor(value * 2))
        {
            problems.Add(new(key, raw, allowed));
            return null;
        }

        return value;
    }
}
