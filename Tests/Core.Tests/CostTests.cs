using System.Globalization;
using System.Text.RegularExpressions;
using QaDatabases.Capacity;
using QaDatabases.Configuration;
using QaDatabases.Cost;
using QaDatabases.Tests.Support;

namespace QaDatabases.Tests;

/// <summary>The cost per day `qa-db plan` states, and the README's dated price table it comes from.</summary>
public partial class CostTests
{
    private static readonly string Readme = File.ReadAllText(Repo.PathOf("README.md"));

    /// <summary>The rows of the first Markdown table after the line containing <paramref name="heading"/>, without the header.</summary>
    private static List<string[]> TableAfter(string heading)
    {
        var lines = Readme[Readme.IndexOf(heading, StringComparison.Ordinal)..].Split('\n');
        return lines.SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2)
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim().Replace("**", "", StringComparison.Ordinal)).ToArray())
            .ToList();
    }

    private static InstanceSizing.Serverless Serverless(double min) => new(new ServerlessScaling(min, 4, min == 0 ? 600 : null));

    [Fact]
    public void The_readme_price_table_shows_the_prices_core_holds_with_their_date_and_region()
    {
        var header = PriceHeader().Match(Readme);
        var rows = TableAfter("Prices, compute, Aurora Standard").ToDictionary(r => r[0], r => decimal.Parse(r[2], CultureInfo.InvariantCulture));

        Assert.True(header.Success, "the README's price table says its region and date");
        Assert.Equal((Prices.Region, Prices.AsOfText), (header.Groups["region"].Value, header.Groups["date"].Value));
        var expected = new Dictionary<string, decimal>
        {
            ["`db.serverless` (Aurora Serverless v2)"] = Prices.ServerlessPerAcuHour,
            ["managed master password (Secrets Manager)"] = Prices.SecretPerMonth,
        };
        foreach (var (instanceClass, hourly) in Prices.PerInstanceHour)
        {
            expected[$"`{instanceClass}`"] = hourly;
        }

        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), rows.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void The_readme_cost_table_is_what_core_computes_from_those_prices()
    {
        var rows = TableAfter("Per environment-day, from those prices");

        Assert.Equal(2 + Prices.PerInstanceHour.Count, rows.Count);
        foreach (var row in rows)
        {
            var instanceClass = row[0].Split(' ')[0].Trim('`');
            InstanceSizing sizing = instanceClass == ServerlessScaling.InstanceClass
                ? Serverless(double.Parse(row[1].Trim('`'), CultureInfo.InvariantCulture))
                : new InstanceSizing.Provisioned(instanceClass);
            var cost = ComputeCost.For(sizing)!;
            Assert.Equal((row[2], row[3]), (ComputeCost.Format(cost.IdlePerDay), ComputeCost.Format(cost.ActivePerDay)));
        }
    }

    [Fact]
    public void A_clone_that_pauses_costs_nothing_idle_and_eight_hours_at_one_acu_active()
    {
        var cost = ComputeCost.For(Serverless(0))!;

        Assert.Equal(0m, cost.IdlePerDay);
        Assert.Equal(8 * 1 * Prices.ServerlessPerAcuHour, cost.ActivePerDay);
    }

    [Fact]
    public void A_minimum_above_one_acu_is_the_active_capacity_too()
    {
        var cost = ComputeCost.For(new InstanceSizing.Serverless(new ServerlessScaling(2, 8, null)))!;

        Assert.Equal(2 * 24 * Prices.ServerlessPerAcuHour, cost.IdlePerDay);
        Assert.Equal(cost.IdlePerDay, cost.ActivePerDay);
    }

    [Fact]
    public void A_provisioned_class_costs_its_full_day_idle_or_not()
    {
        var cost = ComputeCost.For(new InstanceSizing.Provisioned("db.t4g.medium"))!;

        Assert.Equal(24 * Prices.PerInstanceHour["db.t4g.medium"], cost.IdlePerDay);
        Assert.Equal(cost.IdlePerDay, cost.ActivePerDay);
    }

    [Fact]
    public void A_class_without_a_price_on_record_has_no_estimate() =>
        Assert.Null(ComputeCost.For(new InstanceSizing.Provisioned("db.x2g.16xlarge")));

    [GeneratedRegex(@"Prices, compute, Aurora Standard, on-demand, region \*\*(?<region>[a-z0-9-]+)\*\*, as of \*\*(?<date>\d{4}-\d{2}-\d{2})\*\*")]
    private static partial Regex PriceHeader();
}
