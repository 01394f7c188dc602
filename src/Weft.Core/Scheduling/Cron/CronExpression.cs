namespace Weft.Core.Scheduling.Cron;

/// <summary>
/// A parsed cron expression matched against wall-clock time. Time zones are applied on top,
/// by <see cref="CronSchedule"/>.
/// </summary>
internal sealed class CronExpression
{
    public CronExpression(string text, CronFieldSpec second, CronFieldSpec minute, CronFieldSpec hour, CronFieldSpec dayOfMonth, CronFieldSpec month, CronFieldSpec dayOfWeek)
    {
        Text = text;
        Second = second;
        Minute = minute;
        Hour = hour;
        DayOfMonth = dayOfMonth;
        Month = month;
        DayOfWeek = dayOfWeek;
        DaysEither = dayOfMonth.Restricts && dayOfWeek.Restricts;
        RunsThroughRepeatedHour = second.DescribesInterval || minute.DescribesInterval || hour.DescribesInterval;
    }

    /// <summary>The fields as written, separated by single spaces.</summary>
    public string Text { get; }

    public CronFieldSpec Second { get; }

    public CronFieldSpec Minute { get; }

    public CronFieldSpec Hour { get; }

    public CronFieldSpec DayOfMonth { get; }

    public CronFieldSpec Month { get; }

    public CronFieldSpec DayOfWeek { get; }

    /// <summary>
    /// Both day fields restrict the day, so a day matching either fires (Vixie cron, croniter's
    /// <c>day_or</c>); otherwise the day must match both, one of which takes every day.
    /// </summary>
    public bool DaysEither { get; }

    /// <summary>
    /// A wildcard, step or range in the second, minute or hour field: in a repeated (fall-back)
    /// hour the expression keeps firing on the real clock through both passes, where a
    /// fixed-time one fires on the first pass only.
    /// </summary>
    public bool RunsThroughRepeatedHour { get; }

    /// <summary>True when the expression fires on the given day (whatever the time of day).</summary>
    public bool MatchesDay(int year, int month, int day)
    {
        var dayOfMonth = DayOfMonth.Has(day);
        var dayOfWeek = DayOfWeek.Has((int)new DateTime(year, month, day).DayOfWeek);
        return DaysEither ? dayOfMonth || dayOfWeek : dayOfMonth && dayOfWeek;
    }

    /// <summary>The first wall-clock time strictly after <paramref name="wall"/> that matches, before <paramref name="limitYear"/> ends; null when none does.</summary>
    public DateTime? NextAfter(DateTime wall, int limitYear)
    {
        if (wall.Ticks >= DateTime.MaxValue.Ticks - TimeSpan.TicksPerSecond)
        {
            return null;
        }

        var t = new DateTime(wall.Ticks - (wall.Ticks % TimeSpan.TicksPerSecond)).AddSeconds(1);
        int y = t.Year, mo = t.Month, d = t.Day, h = t.Hour, mi = t.Minute, s = t.Second;

        // Each field in turn, from the year down to the second: a field with nothing left at
        // or after its current value carries into the field above and resets those below.
        while (y <= limitYear)
        {
            var nextMonth = Month.NextAtOrAfter(mo);
            if (nextMonth < 0)
            {
                (y, mo, d, h, mi, s) = (y + 1, 1, 1, 0, 0, 0);
                continue;
            }

            if (nextMonth != mo)
            {
                (mo, d, h, mi, s) = (nextMonth, 1, 0, 0, 0);
            }

            var nextDay = NextDay(y, mo, d);
            if (nextDay < 0)
            {
                (mo, d, h, mi, s) = (mo + 1, 1, 0, 0, 0);
                continue;
            }

            if (nextDay != d)
            {
                (d, h, mi, s) = (nextDay, 0, 0, 0);
            }

            var nextHour = Hour.NextAtOrAfter(h);
            if (nextHour < 0)
            {
                (d, h, mi, s) = (d + 1, 0, 0, 0);
                continue;
            }

            if (nextHour != h)
            {
                (h, mi, s) = (nextHour, 0, 0);
            }

            var nextMinute = Minute.NextAtOrAfter(mi);
            if (nextMinute < 0)
            {
                (h, mi, s) = (h + 1, 0, 0);
                continue;
            }

            if (nextMinute != mi)
            {
                (mi, s) = (nextMinute, 0);
            }

            var nextSecond = Second.NextAtOrAfter(s);
            if (nextSecond < 0)
            {
                (mi, s) = (mi + 1, 0);
                continue;
            }

            return new DateTime(y, mo, d, h, mi, nextSecond);
        }

        return null;
    }

    private int NextDay(int year, int month, int from)
    {
        var days = DateTime.DaysInMonth(year, month);
        for (var day = from; day <= days; day++)
        {
            if (MatchesDay(year, month, day))
            {
                return day;
            }
        }

        return -1;
    }
}
