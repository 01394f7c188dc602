namespace Weft.Core.Scheduling.Cron;

/// <summary>
/// One list item of a cron field: <c>*</c>, a value, a range <c>a-b</c>, each with an optional
/// <c>/step</c>. Values are as written (day-of-week 7 not yet folded onto Sunday).
/// </summary>
internal sealed record CronPart(int Start, int End, int Step, bool Wildcard, bool Range, bool Stepped)
{
    /// <summary>True when the range starts after it ends (<c>FRI-MON</c>, <c>22-2</c>) and so wraps around.</summary>
    public bool Wraps(CronField field) => field.Fold(Start) > End;

    /// <summary>The values this item selects, as a bit set over the field's cycle.</summary>
    public ulong Bits(CronField field)
    {
        // Walk from the start towards the end, around the cycle when the range wraps, taking
        // every step-th value: `22-2/2` is 22, 0, 2 and `FRI-MON` is FRI SAT SUN MON. A
        // day-of-week range may end on 7 (`5-7`), the cycle's first value again.
        var start = field.Fold(Start);
        var span = Start == End ? 0
            : Wraps(field) ? End - start + field.CycleLength
            : End - start;

        var bits = 0UL;
        for (var k = 0; k <= span; k += Step)
        {
            bits |= 1UL << field.Fold(start + k);
        }

        return bits;
    }
}
