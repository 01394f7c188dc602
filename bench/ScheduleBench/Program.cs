// The schedule computation of one scheduler pass over 1,000 DAGs, with Weft's cron and with
// Cronos: parse the 1,000 expressions once, then per pass ask each DAG whether a run is due
// (RunPlanner.DueRuns, what the scheduler calls) and, to compare like with like, the two next
// occurrences that answer it, from Weft's Schedule.NextTick and from Cronos.
// Run: dotnet run -c Release --project bench/ScheduleBench [-p:WeftCore=OTHER/src/Weft.Core/Weft.Core.csproj]
using Weft;
using System.Diagnostics;
using Weft.Core.Dags;
using Weft.Core.Scheduling;

const int Dags = 1000;
const int PassCount = 300;
const int Warmup = 50;

string[] expressions =
[
    "*/15 * * * *", "0 * * * *", "0 2 * * *", "30 1 * * 1-5", "0 0 1 * *", "*/5 9-17 * * 1-5", "@daily", "0 12 * * 0",
    "15,45 * * * *", "0 */6 * * *", "0 9 * * MON", "0 0 1 1 *", "*/20 * * * * *", "0 30 8 * * *",
];
string[] zoneIds = ["UTC", "America/New_York", "Europe/Amsterdam", "Asia/Tokyo"];

var now = new DateTimeOffset(2026, 12, 7, 10, 0, 7, TimeSpan.Zero);
var registeredAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
var zones = zoneIds.Select(TimeZoneInfo.FindSystemTimeZoneById).ToArray();
var texts = Enumerable.Range(0, Dags).Select(i => expressions[i % expressions.Length]).ToArray();

static string Cron(string text) => text == "@daily" ? "0 0 * * *" : text;

static Cronos.CronExpression ParseCronos(string text)
{
    var cron = Cron(text);
    return Cronos.CronExpression.Parse(cron, cron.Split(' ').Length == 6 ? Cronos.CronFormat.IncludeSeconds : Cronos.CronFormat.Standard);
}

var weftParse = Passes(() =>
{
    foreach (var t in texts)
    {
        _ = Schedule.TryParse(t, out _, out _);
    }
});
var cronosParse = Passes(() =>
{
    foreach (var t in texts)
    {
        ParseCronos(t);
    }
});

var dags = new DagDefinition[Dags];
var cronos = new Cronos.CronExpression[Dags];
var last = new DateTimeOffset[Dags];
for (var i = 0; i < Dags; i++)
{
    if (!Schedule.TryParse(texts[i], out var schedule, out var error))
    {
        throw new InvalidOperationException(error);
    }

    dags[i] = new DagDefinition { Id = $"dag{i}", Schedule = schedule, TimeZone = zones[i % zones.Length] };
    cronos[i] = ParseCronos(texts[i]);

    // The newest run already created: the latest interval that has ended by now.
    last[i] = schedule!.LatestIntervalEndedBy(now, dags[i].TimeZone, null)!.Start;
}

var due = 0;
var dueRuns = Passes(() =>
{
    for (var i = 0; i < Dags; i++)
    {
        due += RunPlanner.DueRuns(dags[i], now, last[i], registeredAt).Count;
    }
});
var weftTicks = Passes(() =>
{
    for (var i = 0; i < Dags; i++)
    {
        var s = dags[i].Schedule!;
        var next = s.NextTick(last[i], dags[i].TimeZone, null)!.Value;
        due += s.NextTick(next, dags[i].TimeZone, null) <= now ? 1 : 0;
    }
});
var cronosTicks = Passes(() =>
{
    for (var i = 0; i < Dags; i++)
    {
        var next = cronos[i].GetNextOccurrence(last[i], dags[i].TimeZone)!.Value;
        due += cronos[i].GetNextOccurrence(next, dags[i].TimeZone) <= now ? 1 : 0;
    }
});

Console.WriteLine(FormattableString.Invariant($"1,000 DAGs, {PassCount} passes after {Warmup} warm-up; {expressions.Length} expressions over {zoneIds.Length} zones; due found: {due} (0 expected)"));
Report("Weft parse of the 1,000 expressions", weftParse);
Report("Cronos parse of the 1,000 expressions", cronosParse);
Report("Weft RunPlanner.DueRuns (the scheduler's call)", dueRuns);
Report("Weft Schedule.NextTick x2", weftTicks);
Report("Cronos GetNextOccurrence x2", cronosTicks);

double[] Passes(Action pass)
{
    for (var i = 0; i < Warmup; i++)
    {
        pass();
    }

    var times = new double[PassCount];
    for (var i = 0; i < PassCount; i++)
    {
        times[i] = Time(pass);
    }

    Array.Sort(times);
    return times;
}

static double Time(Action action)
{
    var sw = Stopwatch.StartNew();
    action();
    return sw.Elapsed.TotalMilliseconds;
}

static void Report(string what, double[] sorted) =>
    Console.WriteLine(FormattableString.Invariant($"{what}: median {sorted[sorted.Length / 2]:F3} ms, p99 {sorted[(int)(sorted.Length * 0.99)]:F3} ms per round"));
