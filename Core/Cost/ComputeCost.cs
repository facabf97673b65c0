using System.Globalization;
using QaDatabases.Capacity;
using QaDatabases.Configuration;

namespace QaDatabases.Cost;

/// <summary>
/// The prices <c>qa-db plan</c> estimates with: the one place they are kept, with the date and region
/// they are for. The README's dated price table shows the same figures (a test keeps the two equal);
/// change them here and there together.
/// </summary>
public static class Prices
{
    /// <summary>The region the prices are for; other regions differ.</summary>
    public const string Region = "us-east-1";

    /// <summary>When the figures were recorded (see the README for where they come from and how far they were checked).</summary>
    public static readonly DateOnly AsOf = new(2026, 11, 24);

    /// <summary>Where to confirm the Aurora figures.</summary>
    public const string Source = "https://aws.amazon.com/rds/aurora/pricing/";

    /// <summary>Aurora Serverless v2, Aurora Standard storage configuration, per ACU-hour.</summary>
    public const decimal ServerlessPerAcuHour = 0.12m;

    /// <summary>Provisioned classes, Aurora Standard, on-demand, per instance-hour.</summary>
    public static IReadOnlyDictionary<string, decimal> PerInstanceHour { get; } = new SortedDictionary<string, decimal>(StringComparer.Ordinal)
    {
        ["db.r6g.large"] = 0.26m,
        ["db.t4g.medium"] = 0.073m,
    };

    /// <summary>Secrets Manager, per secret-month: each clone's managed master password is one.</summary>
    public const decimal SecretPerMonth = 0.40m;

    /// <summary>The date as the README writes it.</summary>
    public static string AsOfText => AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>What one environment's compute costs per day.</summary>
/// <param name="IdlePerDay">A day nobody connects: a paused Serverless v2 clone costs nothing, a provisioned one its full day.</param>
/// <param name="ActivePerDay">A day with <see cref="ComputeCost.ActiveHours"/> hours of testing at about 1 ACU, idle otherwise.</param>
/// <param name="Basis">How the figures were computed, for the reader.</param>
public sealed record CostEstimate(decimal IdlePerDay, decimal ActivePerDay, string Basis);

/// <summary>
/// The compute cost per day of the configured instance class or capacities. A QA clone is mostly
/// idle, so the idle day is the figure every forgotten environment multiplies; the active day is a
/// day of testing. Storage (only the pages a clone changes), I/O and the managed secret come on top.
/// </summary>
public static class ComputeCost
{
    /// <summary>Hours of testing in an active day.</summary>
    public const int ActiveHours = 8;

    /// <summary>The capacity a light QA workload runs at while tested (within the configured minimum and maximum).</summary>
    public const decimal ActiveAcu = 1m;

    /// <summary>The estimate, or null for a provisioned class the price table does not hold.</summary>
    public static CostEstimate? For(InstanceSizing sizing) => sizing switch
    {
        InstanceSizing.Serverless s => Serverless(s.Scaling),
        InstanceSizing.Provisioned p when Prices.PerInstanceHour.TryGetValue(p.Class, out var hourly) =>
            new CostEstimate(hourly * 24, hourly * 24, $"{p.Class} at ${Number(hourly)}/h, billed while it runs, idle or not"),
        _ => null,
    };

    /// <summary>The managed master password's secret, per day (a 30-day month).</summary>
    public static decimal SecretPerDay => Prices.SecretPerMonth / 30;

    /// <summary>Dollars as the plan and the README print them: two decimals.</summary>
    public static string Format(decimal dollars) => "$" + dollars.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>What the prices are: compute only, Aurora Standard on-demand, for which region and as of when.</summary>
    public static string PriceBasis =>
        $"compute only, Aurora Standard on-demand prices for {Prices.Region} as of {Prices.AsOfText} (confirm at {Prices.Source}); "
        + $"storage of changed pages, I/O and the managed secret (~${Number(decimal.Round(SecretPerDay, 3))}/day) come on top";

    private static CostEstimate Serverless(ServerlessScaling scaling)
    {
        var price = Prices.ServerlessPerAcuHour;
        var min = (decimal)scaling.MinCapacity;
        var active = Math.Clamp(ActiveAcu, min, (decimal)scaling.MaxCapacity);
        return new CostEstimate(
            min * 24 * price,
            ((active * ActiveHours) + (min * (24 - ActiveHours))) * price,
            $"Serverless v2 at ${Number(price)}/ACU-hour: idle at the minimum {Number(min)} ACU{(scaling.PausesWhenIdle ? " (paused: not billed)" : "")}, "
            + $"active {ActiveHours} h at {Number(active)} ACU");
    }

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
