using Cronos;

namespace Weft.Core.Tests.Scheduling;

/// <summary>
/// Next occurrences from Cronos, an independent cron implementation, adjusted only where the
/// contract documents a different rule: Cronos ANDs a restricted day-of-month with a restricted
/// day-of-week, Weft (like Vixie cron and croniter) ORs them, so that case is the union of two
/// Cronos schedules, one per day field.
/// </summary>
internal sealed class CronosOracle
{
    private readonly CronExpression[] _expressions;

    public CronosOracle(string expression)
    {
        var text = Expand(expression);
        var fields = text.Split(' ');
        var format = fields.Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        var dom = fields.Length - 3;
        var dow = fields.Length - 1;
        if (Restricts(fields[dom]) && Restricts(fields[dow]))
        {
            var onlyDayOfMonth = (string[])fields.Clone();
            onlyDayOfMonth[dow] = "*";
            var onlyDayOfWeek = (string[])fields.Clone();
            onlyDayOfWeek[dom] = "*";
            _expressions = [CronExpression.Parse(string.Join(' ', onlyDayOfMonth), format), CronExpression.Parse(string.Join(' ', onlyDayOfWeek), format)];
        }
        else
        {
            _expressions = [CronExpression.Parse(text, format)];
        }
    }

    /// <summary>True when the oracle needed the union (both day fields restricted).</summary>
    public bool IsUnion => _expressions.Length == 2;

    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone) =>
        _expressions
            .Select(e => Next(e, after, zone))
            .Where(o => o is not null)
            .Min();

    private static DateTimeOffset? Next(CronExpression expression, DateTimeOffset after, TimeZoneInfo zone)
    {
        try
        {
            return expression.GetNextOccurrence(after, zone, inclusive: false)?.ToUniversalTime();
        }
        catch (ArgumentOutOfRangeException)
        {
            // A wall time late on 9999-12-31 west of UTC has no representable instant: Cronos
            // throws where Weft (documented) says there is no further tick.
            return null;
        }
    }

    // The expressions in the differential set write an unrestricted day field as `*` or `?`.
    private static bool Restricts(string field) => field is not ("*" or "?");

    private static string Expand(string expression) => expression switch
    {
        "@hourly" => "0 * * * *",
        "@daily" => "0 0 * * *",
        "@weekly" => "0 0 * * 0",
        "@monthly" => "0 0 1 * *",
        "@yearly" => "0 0 1 1 *",
        _ => expression,
    };
}
