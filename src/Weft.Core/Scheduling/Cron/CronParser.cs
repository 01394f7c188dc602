using System.Globalization;

namespace Weft.Core.Scheduling.Cron;

/// <summary>
/// Reads cron fields as Vixie cron and croniter do: lists, ranges, steps and names; a range
/// whose start is after its end wraps around the field's cycle; day-of-week 7 is Sunday.
/// </summary>
internal static class CronParser
{
    /// <summary>Parses 5 fields, or 6 with seconds first; null with a message when the text is not valid cron.</summary>
    public static CronExpression? Parse(string expression, out string? error)
    {
        var fields = expression.Split(' ', '\t').Where(f => f.Length > 0).ToArray();
        if (fields.Length is not (5 or 6))
        {
            error = $"invalid cron expression '{expression}': expected 5 fields (minute hour day month weekday) or 6 with seconds first, found {fields.Length}";
            return null;
        }

        var offset = fields.Length - 5;
        var specs = new List<CronFieldSpec>(6);
        CronField[] order = [CronField.Minute, CronField.Hour, CronField.DayOfMonth, CronField.Month, CronField.DayOfWeek];
        if (offset == 1)
        {
            order = [CronField.Second, .. order];
        }

        for (var i = 0; i < fields.Length; i++)
        {
            var spec = ParseField(order[i], fields[i], out var problem);
            if (spec is null)
            {
                error = $"invalid cron expression '{expression}': {order[i].Name} field '{fields[i]}': {problem}";
                return null;
            }

            specs.Add(spec);
        }

        error = null;
        var second = offset == 1 ? specs[0] : CronFieldSpec.Single(CronField.Second, 0);
        return new CronExpression(string.Join(' ', fields), second, specs[offset], specs[offset + 1], specs[offset + 2], specs[offset + 3], specs[offset + 4]);
    }

    private static CronFieldSpec? ParseField(CronField field, string text, out string? problem)
    {
        var parts = new List<CronPart>();
        foreach (var item in text.Split(','))
        {
            var part = ParsePart(field, item, out problem);
            if (part is null)
            {
                return null;
            }

            parts.Add(part);
        }

        problem = null;
        return new CronFieldSpec(field, text, parts);
    }

    private static CronPart? ParsePart(CronField field, string item, out string? problem)
    {
        problem = null;
        if (item.Length == 0)
        {
            problem = "an empty list item";
            return null;
        }

        var slash = item.IndexOf('/', StringComparison.Ordinal);
        var rangeText = slash < 0 ? item : item[..slash];
        var step = 1;
        if (slash >= 0)
        {
            var stepText = item[(slash + 1)..];
            if (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1 || step > field.CycleLength)
            {
                problem = $"the step '{stepText}' must be a whole number from 1 to {field.CycleLength}";
                return null;
            }
        }

        var wildcard = rangeText is "*" || (rangeText is "?" && field == CronField.DayOfMonth) || (rangeText is "?" && field == CronField.DayOfWeek);
        if (wildcard)
        {
            return new CronPart(field.Min, field.CycleMax, step, Wildcard: true, Range: false, Stepped: slash >= 0);
        }

        var dash = rangeText.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            if (!TryValue(field, rangeText, out var value, out problem))
            {
                return null;
            }

            // `5/15` is "from 5 to the end, every 15", as croniter and Cronos read it.
            return slash >= 0
                ? new CronPart(value, field.Max, step, Wildcard: false, Range: false, Stepped: true)
                : new CronPart(value, value, 1, Wildcard: false, Range: false, Stepped: false);
        }

        if (!TryValue(field, rangeText[..dash], out var start, out problem) || !TryValue(field, rangeText[(dash + 1)..], out var end, out problem))
        {
            return null;
        }

        return new CronPart(start, end, step, Wildcard: false, Range: true, Stepped: slash >= 0);
    }

    private static bool TryValue(CronField field, string text, out int value, out string? problem)
    {
        problem = null;
        if (text.Length == 0)
        {
            value = 0;
            problem = "a range needs a value on each side of '-'";
            return false;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            if (value >= field.Min && value <= field.Max)
            {
                return true;
            }

            problem = $"{value} is outside {field.Min}-{field.Max}";
            return false;
        }

        if (field.Names is { } names)
        {
            var index = Array.FindIndex(names, n => n.Equals(text, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                value = index + field.FirstName;
                return true;
            }

            problem = $"'{text}' is neither a number from {field.Min} to {field.Max} nor one of {string.Join(' ', names)}";
            return false;
        }

        problem = $"'{text}' is not a number from {field.Min} to {field.Max}";
        return false;
    }
}
