using System.Globalization;
using Weft.Core.Definitions;

namespace Weft.Core.Scheduling;

/// <summary>A schedule said in words for listings (<c>0 2 * * 1-5</c> → "at 02:00 on Monday to Friday"); the cron text when it is not a common shape.</summary>
internal static class ScheduleWords
{
    private static readonly string[] Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    private static readonly string[] Months = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames;

    public static string Describe(Schedule schedule, TimeZoneInfo zone)
    {
        var words = schedule switch
        {
            OnceSchedule => "once",
            IntervalSchedule i => $"every {Duration.Format(i.Every)}",
            _ => Cron(Expand(schedule.Text.Trim())),
        };
        return zone == TimeZoneInfo.Utc || zone.Id is "UTC" or "Etc/UTC" ? words : $"{words} ({zone.Id})";
    }

    private static string Expand(string text)
    {
        var preset = text.TrimStart('@').ToLowerInvariant();
        return preset switch
        {
            "hourly" => "0 * * * *",
            "daily" or "midnight" => "0 0 * * *",
            "weekly" => "0 0 * * 0",
            "monthly" => "0 0 1 * *",
            "yearly" or "annually" => "0 0 1 1 *",
            _ => text,
        };
    }

    private static string Cron(string text)
    {
        var f = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length != 5)
        {
            return $"cron '{text}'";
        }

        var (minute, hour, dom, month, dow) = (f[0], f[1], f[2], f[3], f[4]);
        string? time = null;
        if (Number(minute, 59) is { } m && Number(hour, 23) is { } h)
        {
            time = $"at {h:00}:{m:00}";
        }
        else if (Number(minute, 59) is { } m2 && hour == "*")
        {
            time = m2 == 0 ? "every hour" : $"every hour at minute {m2}";
        }
        else if (minute.StartsWith("*/", StringComparison.Ordinal) && Number(minute[2..], 59) is { } step && hour == "*")
        {
            time = step == 1 ? "every minute" : $"every {step} minutes";
        }
        else if (minute == "*" && hour == "*")
        {
            time = "every minute";
        }

        if (time is null)
        {
            return $"cron '{text}'";
        }

        var days = (dom, month, dow) switch
        {
            ("*", "*", "*") when time.StartsWith("at", StringComparison.Ordinal) => "every day",
            ("*", "*", "*") => null,
            ("*", "*", _) when WeekDays(dow) is { } names => $"on {names}",
            (_, "*", "*") when Number(dom, 31) is { } d => $"on day {d} of every month",
            (_, _, "*") when Number(dom, 31) is { } d && Number(month, 12) is { } mo && mo >= 1 => $"every {d} {Months[mo - 1]}",
            _ => "",
        };
        return days switch
        {
            null => time,
            "" => $"cron '{text}'",
            _ when time.StartsWith("at", StringComparison.Ordinal) => $"{days} {time}",
            _ => $"{time} {days}",
        };
    }

    private static string? WeekDays(string field)
    {
        if (Number(field, 7) is { } one)
        {
            return Days[one];
        }

        var dash = field.Split('-');
        if (dash.Length == 2 && Number(dash[0], 7) is { } a && Number(dash[1], 7) is { } b)
        {
            return $"{Days[a]} to {Days[b]}";
        }

        var list = field.Split(',');
        return list.Length > 1 && list.All(x => Number(x, 7) is not null)
            ? string.Join(", ", list.Select(x => Days[Number(x, 7)!.Value]))
            : null;
    }

    private static int? Number(string text, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= max ? n : null;
}
