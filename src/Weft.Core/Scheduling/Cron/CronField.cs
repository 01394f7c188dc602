namespace Weft.Core.Scheduling.Cron;

/// <summary>One of the six cron fields: its name, its range and the names it accepts for values.</summary>
internal sealed class CronField
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    public static readonly CronField Second = new("second", 0, 59, 59, null, firstName: 0, clockField: true);
    public static readonly CronField Minute = new("minute", 0, 59, 59, null, firstName: 0, clockField: true);
    public static readonly CronField Hour = new("hour", 0, 23, 23, null, firstName: 0, clockField: true);
    public static readonly CronField DayOfMonth = new("day-of-month", 1, 31, 31, null, firstName: 0, clockField: false);
    public static readonly CronField Month = new("month", 1, 12, 12, MonthNames, firstName: 1, clockField: false);

    // 7 is accepted as a second Sunday, as Vixie cron reads it; the cycle a reversed range or a
    // step wraps around is still the 7 days 0-6.
    public static readonly CronField DayOfWeek = new("day-of-week", 0, 7, 6, DayNames, firstName: 0, clockField: false);

    private CronField(string name, int min, int max, int cycleMax, string[]? names, int firstName, bool clockField)
    {
        Name = name;
        Min = min;
        Max = max;
        CycleMax = cycleMax;
        Names = names;
        FirstName = firstName;
        IsClockField = clockField;
    }

    public string Name { get; }

    /// <summary>The smallest value written.</summary>
    public int Min { get; }

    /// <summary>The largest value written.</summary>
    public int Max { get; }

    /// <summary>The largest distinct value; a reversed range wraps from it back to <see cref="Min"/>.</summary>
    public int CycleMax { get; }

    /// <summary>The number of distinct values in the field's cycle.</summary>
    public int CycleLength => CycleMax - Min + 1;

    /// <summary>Three-letter names, the first standing for <see cref="FirstName"/>; null when the field has none.</summary>
    public string[]? Names { get; }

    public int FirstName { get; }

    /// <summary>
    /// Seconds, minutes and hours: a wildcard, step or range here makes the expression run on
    /// the real clock through a repeated (fall-back) hour.
    /// </summary>
    public bool IsClockField { get; }

    /// <summary>Every value of the cycle as a bit set.</summary>
    public ulong AllBits => ((1UL << (CycleMax + 1)) - 1) & ~((1UL << Min) - 1);

    /// <summary>Folds a written value onto the cycle (day-of-week 7 is 0).</summary>
    public int Fold(int value) => value > CycleMax ? value - CycleLength : value;
}
