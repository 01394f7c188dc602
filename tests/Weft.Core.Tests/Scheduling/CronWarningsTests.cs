using Weft.Core.Diagnostics;
using static Weft.Core.Tests.Definitions.TestFiles;

namespace Weft.Core.Tests.Scheduling;

/// <summary>Valid cron that will likely surprise its author loads with a warning on the schedule line.</summary>
public sealed class CronWarningsTests
{
    private static string[] CronWarnings(string schedule)
    {
        var r = Yaml($"""
            id: cron
            schedule: "{schedule}"
            start_date: 2024-01-01
            tasks:
              - id: a
                command: echo a
            """);
        Assert.False(r.HasErrors, string.Join('\n', r.Diagnostics));
        var warnings = r.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).ToList();
        Assert.All(warnings, w => Assert.Equal((2, 11), (w.Position.Line, w.Position.Column)));
        return warnings.Select(w => w.Message).ToArray();
    }

    [Theory]
    [InlineData("*/7 * * * *", "minute step in '*/7' does not divide 60", "after minute 56 the next run is minute 0, 4 minutes later rather than 7")]
    [InlineData("0 */5 * * *", "hour step in '*/5' does not divide 24", "after hour 20 the next run is hour 0, 4 hours later rather than 5")]
    [InlineData("0 0 * * */3", "day-of-week step", "after day-of-week SAT the next run is day-of-week SUN, 1 day later rather than 3")]
    [InlineData("0 0 */2 * *", "restarts on the 1st of each month")]
    [InlineData("0 9 * * FRI-MON", "wraps around: FRI, SAT, SUN, MON")]
    [InlineData("0 22-2 * * *", "wraps around: 22, 23, 0, 1, 2")]
    [InlineData("0 0 13 * 5", "a day matching either fires")]
    [InlineData("0 0 30 2 *", "never fires")]
    public void SurprisingExpression_Warns(string schedule, params string[] words)
    {
        var warning = Assert.Single(CronWarnings(schedule));
        Assert.All(words, w => Assert.Contains(w, warning, StringComparison.Ordinal));
        Assert.StartsWith($"schedule '{schedule}': ", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*/15 * * * *")]
    [InlineData("0 */6 * * *")]
    [InlineData("0-30/7 * * * *")]
    [InlineData("0 9-17 * * 1-5")]
    [InlineData("0 12 * * 5-7")]
    [InlineData("0 0 1 * 1-7")]
    [InlineData("@hourly")]
    [InlineData("every 7m")]
    public void OrdinaryExpression_DoesNotWarn(string schedule) =>
        Assert.Empty(CronWarnings(schedule));
}
