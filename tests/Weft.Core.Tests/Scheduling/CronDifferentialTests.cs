using static Weft.Core.Tests.Scheduling.ScheduleFixtures;

namespace Weft.Core.Tests.Scheduling;

/// <summary>
/// Weft's next runs against Cronos 0.13.0 over expressions x zones x start instants placed
/// around every DST transition of each zone, Feb 29, the year's end and the last days of 9999. Any difference fails,
/// except the one documented rule Cronos reads otherwise (both day fields restricted: ORed), which
/// <see cref="CronosOracle"/> compares against the union of two one-field schedules.
/// </summary>
public sealed class CronDifferentialTests
{
    private const int Cases = 7137;
    private const int TicksPerCase = 8;

    private static readonly string[] Expressions =
    [
        // Minutes and hours: wildcards, steps that do and do not divide, lists, ranges, wraps.
        "* * * * *", "*/15 * * * *", "*/7 * * * *", "5/20 * * * *", "0 * * * *", "30 * * * *", "45 * * * *",
        "15,45 * * * *", "0-10 * * * *", "50-10 * * * *", "50-10/5 * * * *", "0 */2 * * *", "0 */5 * * *",
        // Fixed times and intervals around the hours DST moves.
        "0 0 * * *", "30 1 * * *", "30 2 * * *", "0 2 * * *", "0 3 * * *", "45 1 * * *", "45 2 * * *",
        "0 1,2,3 * * *", "30 0-3 * * *", "0 1-2 * * *", "0-59/30 1 * * *", "0 22-2 * * *", "0 22-2/2 * * *", "15 23-1 * * *",
        // Days of the week: names, 7 as Sunday, wrapping ranges.
        "0 9-17 * * 1-5", "0 9 * * FRI-MON", "0 9 * * SAT-SUN", "0 0 * * 7", "0 12 * * 5-7", "0 12 * * 6,7", "0 0 * * 0", "0 0 * * */2",
        // Days of the month and months: short months, Feb 29, wraps.
        "0 0 1 * *", "0 0 31 * *", "0 0 29 2 *", "0 0 30-2 * *", "0 0 1 NOV-FEB *", "0 0 1 */3 *", "0 12 25 12 *", "30 1 * 2 *",
        // Both day fields restricted: a day matching either fires.
        "0 0 13 * 5", "0 0 13 * FRI", "0 0 1,15 * 1", "30 2 */10 * 1", "0 0 1 6 1", "0 1 31 * SAT-SUN",
        // Presets.
        "@hourly", "@daily", "@weekly", "@monthly", "@yearly",
        // Six fields, seconds first.
        "*/20 * * * * *", "30 0 2 * * *", "0 30 1 * * *", "15 */30 * * * *", "0 0 */6 * * *", "0 * 1 * * *", "*/30 30 1 * * *",
    ];

    private static readonly string[] Zones =
    [
        "UTC", "America/New_York", "Europe/Amsterdam", "Australia/Lord_Howe", "Pacific/Chatham", "America/Sao_Paulo", "America/Santiago",
    ];

    [Fact]
    public void Weft_AgreesWithCronos_On7137Cases()
    {
        var cases = 0;
        var occurrences = 0;
        var differences = new List<string>();
        foreach (var zoneId in Zones)
        {
            var zone = Zone(zoneId);
            var starts = StartInstants(zone);
            foreach (var expression in Expressions)
            {
                var weft = Parse(expression);
                var cronos = new CronosOracle(expression);
                foreach (var start in starts)
                {
                    cases++;
                    DateTimeOffset? mine = start, theirs = start;
                    for (var i = 0; i < TicksPerCase && mine is not null; i++)
                    {
                        mine = weft.NextTick(mine.Value, zone, null);
                        theirs = cronos.Next(theirs!.Value, zone);
                        occurrences++;
                        if (mine != theirs)
                        {
                            differences.Add($"'{expression}' in {zoneId} from {Iso(start)}, tick {i + 1}: Weft {Show(mine)}, Cronos{(cronos.IsUnion ? " (union of the day fields)" : "")} {Show(theirs)}");
                            break;
                        }
                    }
                }
            }
        }

        Assert.True(differences.Count == 0, $"{differences.Count} of {cases} cases differ:\n" + string.Join('\n', differences.Take(30)));
        Assert.Equal(Cases, cases);
        Assert.True(occurrences > Cases * (TicksPerCase - 1), $"only {occurrences} occurrences compared");
    }

    private static string Show(DateTimeOffset? instant) => instant is { } i ? Iso(i) : "none";

    /// <summary>
    /// Instants just before, inside and after each of the zone's DST transitions in one year
    /// (2018 for Sao Paulo, which has kept no DST since 2019), plus Feb 29, the year's end and 9999.
    /// </summary>
    private static List<DateTimeOffset> StartInstants(TimeZoneInfo zone)
    {
        var year = zone.Id == "America/Sao_Paulo" ? 2018 : 2024;
        var starts = new List<DateTimeOffset> { At("2024-02-28T12:00:00Z"), At("2024-12-31T20:00:00Z"), At("9999-12-30T20:00:00Z") };
        var step = TimeSpan.FromMinutes(15);
        var t = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var offset = zone.GetUtcOffset(t);
        for (; t.Year == year; t += step)
        {
            var now = zone.GetUtcOffset(t);
            if (now != offset)
            {
                foreach (var delta in new[] { -150, -40, -1, 0, 10, 35, 50, 75 })
                {
                    starts.Add(t.AddMinutes(delta));
                }

                offset = now;
            }
        }

        return starts;
    }
}
