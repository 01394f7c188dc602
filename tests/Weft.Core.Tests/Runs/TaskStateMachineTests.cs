using Weft.Core.Runs;
using static Weft.Core.Runs.TaskState;

namespace Weft.Core.Tests.Runs;

public sealed class TaskStateMachineTests
{
    [Theory]
    [InlineData(None, Scheduled)]
    [InlineData(Scheduled, Queued)]
    [InlineData(Queued, Running)]
    [InlineData(Running, Success)]
    [InlineData(Running, Failed)]
    [InlineData(Running, UpForRetry)]
    [InlineData(Running, Skipped)]
    [InlineData(UpForRetry, Scheduled)]
    [InlineData(UpForRetry, Queued)]
    [InlineData(None, Skipped)]
    [InlineData(None, UpstreamFailed)]
    [InlineData(Scheduled, Skipped)]
    [InlineData(Scheduled, UpstreamFailed)]
    [InlineData(Queued, Skipped)]
    [InlineData(Queued, UpstreamFailed)]
    [InlineData(UpForRetry, Skipped)]
    [InlineData(Success, None)]
    [InlineData(Failed, None)]
    [InlineData(Skipped, None)]
    [InlineData(UpstreamFailed, None)]
    [InlineData(None, Success)]
    [InlineData(Scheduled, Failed)]
    [InlineData(UpForRetry, Failed)]
    [InlineData(Failed, Success)]
    [InlineData(Success, Failed)]
    [InlineData(UpstreamFailed, Success)]
    [InlineData(Skipped, Failed)]
    public void CanTransition_ContractTransition_Allowed(TaskState from, TaskState to)
    {
        Assert.True(TaskStateMachine.CanTransition(from, to));
    }

    [Theory]
    [InlineData(None, Queued)]
    [InlineData(None, Running)]
    [InlineData(None, UpForRetry)]
    [InlineData(Scheduled, Running)]
    [InlineData(Scheduled, None)]
    [InlineData(Queued, Scheduled)]
    [InlineData(Queued, None)]
    [InlineData(Running, Scheduled)]
    [InlineData(Running, Queued)]
    [InlineData(Running, None)]
    [InlineData(Running, UpstreamFailed)]
    [InlineData(UpForRetry, Running)]
    [InlineData(UpForRetry, UpstreamFailed)]
    [InlineData(UpForRetry, None)]
    [InlineData(Success, Scheduled)]
    [InlineData(Success, Running)]
    [InlineData(Failed, UpForRetry)]
    [InlineData(Skipped, Scheduled)]
    [InlineData(UpstreamFailed, Skipped)]
    [InlineData(Skipped, UpstreamFailed)]
    [InlineData(Success, Skipped)]
    [InlineData(Running, Running)]
    [InlineData(Success, Success)]
    [InlineData(None, None)]
    public void CanTransition_OutsideStateMachine_Refused(TaskState from, TaskState to)
    {
        Assert.False(TaskStateMachine.CanTransition(from, to));
    }

    [Fact]
    public void CanTransition_EveryPair_MatchesTheContractTable()
    {
        string[] allowed =
        [
            "none>scheduled", "none>skipped", "none>upstream_failed", "none>success", "none>failed",
            "scheduled>queued", "scheduled>skipped", "scheduled>upstream_failed", "scheduled>success", "scheduled>failed",
            "queued>running", "queued>skipped", "queued>upstream_failed", "queued>success", "queued>failed",
            "running>success", "running>failed", "running>up_for_retry", "running>skipped",
            "up_for_retry>scheduled", "up_for_retry>queued", "up_for_retry>skipped", "up_for_retry>success", "up_for_retry>failed",
            "success>none", "success>failed",
            "failed>none", "failed>success",
            "skipped>none", "skipped>success", "skipped>failed",
            "upstream_failed>none", "upstream_failed>success", "upstream_failed>failed",
        ];

        var actual = Enum.GetValues<TaskState>()
            .SelectMany(from => Enum.GetValues<TaskState>().Select(to => (from, to)))
            .Where(p => TaskStateMachine.CanTransition(p.from, p.to))
            .Select(p => $"{p.from.ToName()}>{p.to.ToName()}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(allowed.Order(StringComparer.Ordinal), actual);
    }
}
