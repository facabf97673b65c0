using QaDatabases.Configuration;

namespace QaDatabases.Restore;

/// <summary>Which moment of the source's history the clone starts from.</summary>
public abstract record RestoreChoice
{
    /// <summary>
    /// Always copy-on-write: the clone shares the source's storage pages until either side changes
    /// them, so it is made in minutes and costs nothing for data it has not written.
    /// </summary>
    public const string RestoreType = "copy-on-write";

    private RestoreChoice()
    {
    }

    /// <summary>The mode as reported in stack outputs and tags.</summary>
    public abstract string Mode { get; }

    /// <summary>The newest data AWS can restore (seconds behind the source).</summary>
    public sealed record LatestRestorableTime : RestoreChoice
    {
        public override string Mode => "latest-restorable-time";
    }

    /// <summary>A chosen moment within the source's backup retention window.</summary>
    public sealed record PointInTime(DateTimeOffset Time) : RestoreChoice
    {
        public override string Mode => $"point-in-time {UtcTimestamp.Format(Time)}";

        public string RestoreToTime => UtcTimestamp.Format(Time);
    }

    /// <summary>Aurora keeps at most 35 days of point-in-time history.</summary>
    public static readonly TimeSpan MaximumRetention = TimeSpan.FromDays(35);

    internal static RestoreChoice? Parse(string raw, DateTimeOffset now, ICollection<ConfigProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return new LatestRestorableTime();
        }

        if (!UtcTimestamp.TryParse(raw, out var time))
        {
            problems.Add(new(ConfigKeys.RestoreTime.Name, raw, $"expected {UtcTimestamp.Allowed}, or empty for the latest restorable time"));
            return null;
        }

        if (time > now)
        {
            problems.Add(new(ConfigKeys.RestoreTime.Name, raw, $"is in the future (now is {UtcTimestamp.Format(now)}); data can only be cloned from the past"));
            return null;
        }

        if (time < now - MaximumRetention)
        {
            problems.Add(new(ConfigKeys.RestoreTime.Name, raw, "is older than Aurora's 35-day maximum backup retention"));
            return null;
        }

        return new PointInTime(time);
    }
}
