namespace Weft.Core.Scheduling.Cron;

/// <summary>A parsed cron field: the list items as written and the set of values they select.</summary>
internal sealed class CronFieldSpec
{
    public CronFieldSpec(CronField field, string text, IReadOnlyList<CronPart> parts)
    {
        Field = field;
        Text = text;
        Parts = parts;
        Bits = parts.Aggregate(0UL, (bits, p) => bits | p.Bits(field));
    }

    public CronField Field { get; }

    public string Text { get; }

    public IReadOnlyList<CronPart> Parts { get; }

    /// <summary>The values selected, bit n for value n (day-of-week 7 folded onto 0).</summary>
    public ulong Bits { get; }

    /// <summary>
    /// True when the field leaves some value out. As in croniter, a field that selects every
    /// value (<c>*</c>, <c>1-31</c>, <c>0-7</c>) does not restrict the day.
    /// </summary>
    public bool Restricts => Bits != Field.AllBits;

    /// <summary>True when a wildcard, step or range appears: the field describes an interval of time rather than fixed points.</summary>
    public bool DescribesInterval => Parts.Any(p => p.Wildcard || p.Range || p.Stepped);

    public static CronFieldSpec Single(CronField field, int value) =>
        new(field, value.ToString(System.Globalization.CultureInfo.InvariantCulture), [new CronPart(value, value, 1, Wildcard: false, Range: false, Stepped: false)]);

    public bool Has(int value) => (Bits & (1UL << value)) != 0;

    /// <summary>The first selected value at or after <paramref name="from"/>; -1 when none is left in the field.</summary>
    public int NextAtOrAfter(int from)
    {
        if (from > Field.CycleMax)
        {
            return -1;
        }

        var rest = Bits & (ulong.MaxValue << from);
        return rest == 0 ? -1 : System.Numerics.BitOperations.TrailingZeroCount(rest);
    }
}
