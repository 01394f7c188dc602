using Weft.Core.Definitions;

namespace Weft.Core.Tests.Definitions;

public class DurationTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172800)]
    [InlineData("1w", 604800)]
    [InlineData("PT30S", 30)]
    [InlineData("PT1H30M", 5400)]
    [InlineData("P1D", 86400)]
    [InlineData("45", 45)]
    [InlineData("1.5", 1.5)]
    [InlineData("1h 30m", 5400)]
    [InlineData("500ms", 0.5)]
    [InlineData("0", 0)]
    public void TryParse_Valid(string text, double seconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(null)]
    [InlineData("-5s")]
    [InlineData("-3")]
    [InlineData("5 parsecs")]
    [InlineData("h")]
    [InlineData("PT")]
    [InlineData("1e400")]
    [InlineData("soon")]
    public void TryParse_Invalid(string? text)
    {
        Assert.False(Duration.TryParse(text, out _));
    }

    [Theory]
    [InlineData(5400, "1h30m")]
    [InlineData(30, "30s")]
    [InlineData(0, "0s")]
    [InlineData(90061, "1d1h1m1s")]
    public void Format_IsShortForm(double seconds, string expected) =>
        Assert.Equal(expected, Duration.Format(TimeSpan.FromSeconds(seconds)));
}
