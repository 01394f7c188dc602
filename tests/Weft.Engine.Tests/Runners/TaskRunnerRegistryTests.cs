using Weft.Core.Dags;
using Weft.Engine.Runners;
using Weft.Engine.Runners.Noop;

namespace Weft.Engine.Tests.Runners;

public sealed class TaskRunnerRegistryTests : IDisposable
{
    private readonly AttemptFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    [Fact]
    public void CreateDefault_HasARunnerForEveryType()
    {
        var registry = TaskRunnerRegistry.CreateDefault();

        foreach (var type in Enum.GetValues<TaskType>())
        {
            Assert.Equal(type, registry.Get(type).Type);
        }
    }

    [Fact]
    public async Task Noop_SucceedsWithoutLogAndWithoutAllocatingATask()
    {
        var runner = new NoopTaskRunner();
        var context = _fx.Context(new TaskDefinition { Id = "n" });

        var first = runner.RunAsync(context, CancellationToken.None);
        var second = runner.RunAsync(context, CancellationToken.None);

        Assert.Same(first, second);
        Assert.Equal(TaskOutcome.Success, (await first).Outcome);
        Assert.False(File.Exists(_fx.Log.Path));
    }

    [Fact]
    public async Task RunAsync_DispatchesByType()
    {
        var result = await TaskRunnerRegistry.CreateDefault()
            .RunAsync(_fx.Context(AttemptFixture.Shell("echo via-registry")), CancellationToken.None);

        Assert.Equal(TaskOutcome.Success, result.Outcome);
        Assert.Equal(["via-registry"], _fx.Stdout());
    }
}
