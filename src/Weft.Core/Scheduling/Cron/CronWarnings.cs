using System.Globalization;

namespace Weft.Core.Scheduling.Cron;

/// <summary>
/// Expressions that are valid but will likely surprise their author: a step that does not
/// divide its field and so restarts early, a range that wraps around, both day fields
/// restricted (either matches), and an expression that never fires.
/// </summary>
internal static class CronWarnings
{
    public static IEnumerable<string> For(CronExpression cron)
    {
        foreach (var spec in new[] { cron.Second, cron.Minute, cron.Hour, cron.DayOfMonth, cron.Month, cron.DayOfWeek })
        {
            foreach (var part in spec.Parts)
            {
                if (UnevenStep(spec, part) is { } step)
                {
                    yield return step;
                }

                if (part.Range && part.Wraps(spec.Field))
                {
                    yield return $"the {spec.Field.Name} range in '{spec.Text}' starts after it ends, so it wraps around: {Values(spec.Field, part.Bits(spec.Field), part)}";
                }
            }
        }

        if (cron.DaysEither)
        {
            yield return $"both day-of-month '{cron.DayOfMonth.Text}' and day-of-week '{cron.DayOfWeek.Text}' are restricted, so a day matching either fires (as in Vixie cron and Airflow), not only days matching both";
        }

        if (NeverFires(cron))
        {
            yield return $"'{cron.Text}' never fires: no month it names has the day it names";
        }
    }

    private static string? UnevenStep(CronFieldSpec spec, CronPart part)
    {
        var field = spec.Field;
        // Only a step over the whole field restarts with it; `0-30/7` plainly ends at 28.
        if (!part.Stepped || part.Step == 1 || part.Range || (!part.Wildcard && part.Start != field.Min))
        {
            return null;
        }

        var (unit, steps) = field.Name switch
        {
            "second" => ("minute", "seconds"),
            "minute" => ("hour", "minutes"),
            "hour" => ("day", "hours"),
            "month" => ("year", "months"),
            _ => ("week", "days"),
        };

        if (field == CronField.DayOfMonth)
        {
            // Months have 28 to 31 days, so no step over 1 keeps its rhythm across them.
            return $"the day-of-month step '/{part.Step}' restarts on the 1st of each month, so the gap between the last day it picks in a month and the 1st varies";
        }

        var length = field.CycleLength;
        if (length % part.Step == 0)
        {
            return null;
        }

        var last = field.Min + ((length - 1) / part.Step * part.Step);
        var gap = length - (last - field.Min);
        return $"the {field.Name} step in '{spec.Text}' does not divide {length}: it restarts at each {unit}, so after {field.Name} {Name(field, last)} the next run is {field.Name} {Name(field, field.Min)}, {gap} {(gap == 1 ? steps[..^1] : steps)} later rather than {part.Step}";
    }

    private static bool NeverFires(CronExpression cron)
    {
        // Weekdays come round every week; only a day-of-month that no named month holds can starve.
        if (cron.DayOfWeek.Restricts)
        {
            return false;
        }

        for (var month = 1; month <= 12; month++)
        {
            if (!cron.Month.Has(month))
            {
                continue;
            }

            for (var day = 1; day <= DateTime.DaysInMonth(2000, month); day++)
            {
                if (cron.DayOfMonth.Has(day))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static string Values(CronField field, ulong bits, CronPart part)
    {
        // In the order the range walks them: from its start round to its end.
        var values = new List<int>();
        var start = field.Fold(part.Start);
        for (var k = 0; k < field.CycleLength; k++)
        {
            var v = field.Fold(start + k);
            if ((bits & (1UL << v)) != 0)
            {
                values.Add(v);
            }
        }

        return string.Join(", ", values.Select(v => Name(field, v)));
    }

    private static string Name(CronField field, int value) =>
        field.Names is { } names ? names[value - field.FirstName] : value.ToString(CultureInfo.InvariantCulture);
}
