using Weft.Engine.Storage;

namespace Weft.Engine.Execution;

/// <summary>Hears what a run does, for progress displays. Called on the executor's loop: keep it quick.</summary>
internal interface IRunObserver
{
    void TaskStarted(TaskInstanceRecord task);

    void TaskFinished(TaskInstanceRecord task);

    void RunFinished(RunSnapshot run);
}

/// <summary>An observer that hears nothing.</summary>
internal sealed class NullRunObserver : IRunObserver
{
    public static NullRunObserver Instance { get; } = new();

    public void TaskStarted(TaskInstanceRecord task) { }

    public void TaskFinished(TaskInstanceRecord task) { }

    public void RunFinished(RunSnapshot run) { }
}
