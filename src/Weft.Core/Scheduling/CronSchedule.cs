using NCrontab;

namespace Weft.Core.Scheduling;

/// <summary>
/// A 5-field cron expression, or 6 fields with seconds first, matched against wall-clock time
/// in the DAG's zone. The zone rules are in <see cref="WallClock"/>: a time skipped by a
/// spring-forward gap fires when the gap ends, a repeated time fires on its first pass only.
/// </summary>
internal sealed class CronSchedule : Schedule
{
    private CronSchedule(string text, string expression, CrontabSchedule crontab, bool hasSeconds)
        : base(text)
    {
        Expression = expression;
        Crontab = crontab;
        HasSeconds = hasSeconds;
    }

    /// <summary>The cron expression (a preset already expanded).</summary>
    public string Expression { get; }

    /// <summary>The parsed expression; it computes wall-clock occurrences, the zone is applied on top.</summary>
    public CrontabSchedule Crontab { get; }

    /// <summary>True for the 6-field form.</summary>
    public bool HasSeconds { get; }

    /// <summary>Parses the expression; null with a message when it is not valid cron.</summary>
    public static CronSchedule? Create(string text, string expression, out string? error)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (5 or 6))
        {
            error = $"invalid cron expression '{expression}': expected 5 fields (minute hour day month weekday) or 6 with seconds first, found {fields.Length}";
            return null;
        }

        var normalized = string.Join(' ', fields);
        var options = new CrontabSchedule.ParseOptions { IncludingSeconds = fields.Length == 6 };
        var crontab = CrontabSchedule.TryParse(normalized, options);
        if (crontab is null)
        {
            error = $"invalid cron expression '{expression}'; for example '0 2 * * *' is every day at 02:00";
            return null;
        }

        error = null;
        return new CronSchedule(text, normalized, crontab, fields.Length == 6);
    }

    /// <summary>How far ahead a cron that matches nothing (<c>0 0 30 2 *</c>) is searched before giving up.</summary>
    private const int SearchYears = 100;

    /// <inheritdoc/>
    private protected override DateTimeOffset? NextTickCore(DateTimeOffset after, TimeZoneInfo zone, DateTimeOffset? anchor)
    {
        var wall = WallClock.ToLocal(after, zone);

        // Several wall times can share one instant: every time in a gap fires when the gap ends,
        // and a repeated time fires on its first pass. So a matching wall time can map to an
        // instant at or before `after` (when `after` lies in the repeated hour); step past it.
        while (NextWallTime(wall) is { } next)
        {
            var instant = WallClock.ToInstant(next, zone);
            if (instant > after)
            {
                return instant;
            }

            wall = next;
        }

        return null;
    }

    /// <summary>The first wall-clock time strictly after <paramref name="wall"/> that the expression matches.</summary>
    private DateTime? NextWallTime(DateTime wall)
    {
        var limit = wall.Year <= DateTime.MaxValue.Year - SearchYears ? wall.AddYears(SearchYears) : DateTime.MaxValue;
        var next = Crontab.GetNextOccurrence(wall, limit);

        // NCrontab returns the limit itself when nothing matches before it.
        return next < limit ? next : null;
    }
}
