using NCrontab;

namespace Weft.Core.Scheduling;

/// <summary>A 5-field cron expression, or 6 fields with seconds first.</summary>
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
}
