using Weft.Core.Scheduling;

namespace Weft.Core.Tests.Scheduling;

public class ScheduleWordsTests
{
    [Theory]
    [InlineData("daily", "every day at 00:00")]
    [InlineData("@hourly", "every hour")]
    [InlineData("0 2 * * *", "every day at 02:00")]
    [InlineData("30 6 * * 1-5", "on Monday to Friday at 06:30")]
    [InlineData("0 9 * * 1,3,5", "on Monday, Wednesday, Friday at 09:00")]
    [InlineData("0 0 1 * *", "on day 1 of every month at 00:00")]
    [InlineData("yearly", "every 1 January at 00:00")]
    [InlineData("*/15 * * * *", "every 15 minutes")]
    [InlineData("5 * * * *", "every hour at minute 5")]
    [InlineData("every 15m", "every 15m")]
    [InlineData("@once", "once")]
    [InlineData("0 0 13 * 5", "cron '0 0 13 * 5'")]
    public void Describe_CommonShapes_InWords(string text, string words)
    {
        Assert.True(Schedule.TryParse(text, out var schedule, out var error), error);

        Assert.Equal(words, ScheduleWords.Describe(schedule!, TimeZoneInfo.Utc));
    }

    [Fact]
    public void Describe_OtherZone_NamesIt()
    {
        Assert.True(Schedule.TryParse("0 2 * * *", out var schedule, out _));

        Assert.Equal("every day at 02:00 (Europe/Amsterdam)", ScheduleWords.Describe(schedule!, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")));
    }
}
