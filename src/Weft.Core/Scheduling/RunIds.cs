using System.Globalization;

namespace Weft.Core.Scheduling;

/// <summary>
/// Run ids: the way the run was created, two underscores, and an instant in ISO-8601 UTC with
/// milliseconds, for example <c>scheduled__2026-11-22T10:00:00.000Z</c>.
/// </summary>
public static class RunIds
{
    /// <summary>The prefix of runs the scheduler creates.</summary>
    public const string ScheduledPrefix = "scheduled__";

    /// <summary>The prefix of runs triggered by hand or through the API.</summary>
    public const string ManualPrefix = "manual__";

    /// <summary>The prefix of runs created by a backfill.</summary>
    public const string BackfillPrefix = "backfill__";

    /// <summary>The id of the scheduled run for <paramref name="logicalDate"/>.</summary>
    public static string Scheduled(DateTimeOffset logicalDate) => ScheduledPrefix + Format(logicalDate);

    /// <summary>The id of a run triggered at <paramref name="time"/> (its logical date).</summary>
    public static string Manual(DateTimeOffset time) => ManualPrefix + Format(time);

    /// <summary>The id of the backfill run for <paramref name="logicalDate"/>.</summary>
    public static string Backfill(DateTimeOffset logicalDate) => BackfillPrefix + Format(logicalDate);

    /// <summary>An instant as the id writes it: <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>, in UTC.</summary>
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);
}
