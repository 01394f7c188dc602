using System.Collections.Immutable;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Core.Runs.Retry;
using static Weft.Core.Runs.RetryBackoff;

namespace Weft.Core.Tests.Runs.Retry;

public sealed class RetryPolicyTests
{
    [Theory]
    [InlineData(Fixed, 10, 3600, 1, 0.0, 10)]
    [InlineData(Fixed, 10, 3600, 3, 0.0, 10)]
    [InlineData(Fixed, 10, 3600, 3, 1.0, 10)]
    [InlineData(Fixed, 10, 5, 1, 0.0, 5)]
    [InlineData(Linear, 10, 3600, 1, 0.0, 10)]
    [InlineData(Linear, 10, 3600, 3, 0.0, 30)]
    [InlineData(Linear, 10, 3600, 3, 1.0, 30)]
    [InlineData(Linear, 10, 3600, 1000, 0.0, 3600)]
    [InlineData(Exponential, 10, 3600, 1, 0.0, 10)]
    [InlineData(Exponential, 10, 3600, 2, 0.0, 20)]
    [InlineData(Exponential, 10, 3600, 3, 0.0, 40)]
    [InlineData(Exponential, 10, 3600, 3, 1.0, 36)]
    [InlineData(Exponential, 10, 3600, 2, 0.5, 19)]
    [InlineData(Exponential, 10, 3600, 9, 1.0, 2304)]
    [InlineData(Exponential, 10, 3600, 10, 0.0, 3600)]
    [InlineData(Exponential, 10, 3600, 10, 1.0, 3600)]
    [InlineData(Exponential, 10, 3600, 64, 0.0, 3600)]
    [InlineData(Exponential, 10, 3600, 100_000, 0.3, 3600)]
    [InlineData(Exponential, 0, 3600, 100_000, 0.0, 0)]
    [InlineData(Exponential, 1, 0.5, 1, 0.0, 0.5)]
    public void Decide_TriesLeft_RetriesAfterBackoffDelay(
        RetryBackoff backoff, double delaySeconds, double maxDelaySeconds, int tryNumber, double jitter, double expectedSeconds)
    {
        var task = Task(backoff, delaySeconds, maxDelaySeconds, retries: int.MaxValue - 1);

        var decision = RetryPolicy.Decide(task, tryNumber, exitCode: 1, jitter);

        Assert.True(decision.ShouldRetry);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), decision.Delay);
    }

    [Theory]
    [InlineData(Fixed)]
    [InlineData(Linear)]
    [InlineData(Exponential)]
    public void Decide_HugeTryNumberAndUnboundedCap_CapsWithoutOverflow(RetryBackoff backoff)
    {
        var task = Task(backoff, 3600, 0, retries: int.MaxValue - 1) with { MaxRetryDelay = TimeSpan.MaxValue };

        var decision = RetryPolicy.Decide(task, int.MaxValue - 1, exitCode: null, jitter: 0.0);

        Assert.True(decision.ShouldRetry);
        Assert.True(decision.Delay > TimeSpan.Zero);
        Assert.Equal(backoff == Fixed ? TimeSpan.FromHours(1) : TimeSpan.MaxValue, decision.Delay);
    }

    [Theory]
    [InlineData(0, 1, null, false)]
    [InlineData(0, 1, 1, false)]
    [InlineData(2, 1, 1, true)]
    [InlineData(2, 2, 1, true)]
    [InlineData(2, 3, 1, false)]
    [InlineData(2, 3, null, false)]
    [InlineData(2, 5, null, false)]
    public void Decide_ByTryNumber_RetriesOnlyWhileTriesRemain(int retries, int tryNumber, int? exitCode, bool retried)
    {
        var task = Task(Exponential, 10, 3600, retries);

        var decision = RetryPolicy.Decide(task, tryNumber, exitCode, jitter: 0.0);

        Assert.Equal(retried, decision.ShouldRetry);
        Assert.Equal(retried ? TimeSpan.FromSeconds(10 * Math.Pow(2, tryNumber - 1)) : TimeSpan.Zero, decision.Delay);
        Assert.False(string.IsNullOrEmpty(decision.Reason));
    }

    [Theory]
    [InlineData("", 1, true)]
    [InlineData("", 255, true)]
    [InlineData("", null, true)]
    [InlineData("2,3", 2, true)]
    [InlineData("2,3", 3, true)]
    [InlineData("2,3", 1, false)]
    [InlineData("2,3", 127, false)]
    [InlineData("2,3", null, true)]
    [InlineData("75", 75, true)]
    public void Decide_RetryOnExitCodes_RetriesOnlyListedCodesOrFailuresWithoutCode(string codes, int? exitCode, bool retried)
    {
        var task = Task(Fixed, 10, 3600, retries: 3) with
        {
            RetryOnExitCodes = codes.Length == 0 ? [] : [.. codes.Split(',').Select(int.Parse)],
        };

        var decision = RetryPolicy.Decide(task, 1, exitCode, jitter: 0.0);

        Assert.Equal(retried, decision.ShouldRetry);
    }

    [Fact]
    public void Decide_ExitCodeNotListed_ReasonNamesTheCode()
    {
        var task = Task(Fixed, 10, 3600, retries: 3) with { RetryOnExitCodes = ImmutableArray.Create(2) };

        var decision = RetryPolicy.Decide(task, 1, 7, jitter: 0.0);

        Assert.False(decision.ShouldRetry);
        Assert.Contains("7", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(-1, 0.0)]
    [InlineData(1, -0.1)]
    [InlineData(1, 1.5)]
    [InlineData(1, double.NaN)]
    public void Decide_InvalidArguments_Throws(int tryNumber, double jitter)
    {
        var task = Task(Fixed, 10, 3600, retries: 3);

        Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.Decide(task, tryNumber, 1, jitter));
    }

    private static TaskDefinition Task(RetryBackoff backoff, double delaySeconds, double maxDelaySeconds, int retries) => new()
    {
        Id = "t",
        Retries = retries,
        RetryBackoff = backoff,
        RetryDelay = TimeSpan.FromSeconds(delaySeconds),
        MaxRetryDelay = TimeSpan.FromSeconds(maxDelaySeconds),
    };
}
