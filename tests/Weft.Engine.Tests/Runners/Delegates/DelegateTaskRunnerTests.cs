using Weft.Core.Dags;
using Weft.Engine.Runners;
using Weft.Engine.Runners.Delegates;

namespace Weft.Engine.Tests.Runners.Delegates;

public sealed class DelegateTaskRunnerTests : IDisposable
{
    private readonly AttemptFixture _fx = new();
    private readonly DelegateTaskRunner _runner = new();

    public void Dispose() => _fx.Dispose();

    private static TaskDefinition Delegate(Func<ITaskContext, CancellationToken, Task> body) =>
        new() { Id = "d", Type = TaskType.Delegate, Delegate = body };

    [Fact]
    public async Task RunAsync_ReadsParamsAndUpstreamOutputs_SetsOutputs()
    {
        _fx.SetParam("factor", 3);
        _fx.Outputs["extract"] = new Dictionary<string, string> { ["rows"] = "14" };
        var task = Delegate((ctx, _) =>
        {
            var rows = int.Parse(ctx.GetOutput("extract", "rows")!, System.Globalization.CultureInfo.InvariantCulture);
            ctx.SetOutput("total", (rows * ctx.Params["factor"].GetInt32()).ToString(System.Globalization.CultureInfo.InvariantCulture));
            ctx.Log($"{ctx.DagId}/{ctx.TaskId}#{ctx.Attempt} missing={ctx.GetOutput("extract", "nope") ?? "null"}");
            return Task.CompletedTask;
        });

        var result = await _runner.RunAsync(_fx.Context(task), CancellationToken.None);

        Assert.Equal(TaskOutcome.Success, result.Outcome);
        Assert.Equal("42", result.Outputs["total"]);
        Assert.Equal(["[log] test_dag/d#1 missing=null"], _fx.LogLines());
    }

    [Fact]
    public async Task RunAsync_Throws_FailsWithMessageAndLogsStack()
    {
        var task = Delegate(async (_, ct) =>
        {
            await Task.Yield();
            throw new InvalidOperationException("the warehouse is closed");
        });

        var result = await _runner.RunAsync(_fx.Context(task), CancellationToken.None);

        Assert.Equal(TaskOutcome.Failed, result.Outcome);
        Assert.Equal("the warehouse is closed", result.Reason);
        Assert.Contains("at ", _fx.LogText(), StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", _fx.LogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Cancelled_ReturnsCancelledEvenIfTheDelegateIgnoresIt()
    {
        var task = Delegate((_, _) => Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var result = await _runner.RunAsync(_fx.Context(task), cts.Token);

        Assert.Equal("cancelled", result.Reason);
    }
}
