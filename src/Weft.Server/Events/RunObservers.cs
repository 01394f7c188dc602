using Weft.Engine.Execution;
using Weft.Engine.Storage;

namespace Weft.Server.Events;

/// <summary>Several observers of one run, called in order.</summary>
internal sealed class RunObservers(params IRunObserver[] observers) : IRunObserver
{
    public void TaskStarted(TaskInstanceRecord task)
    {
        foreach (var o in observers)
        {
            o.TaskStarted(task);
        }
    }

    public void TaskFinished(TaskInstanceRecord task)
    {
        foreach (var o in observers)
        {
            o.TaskFinished(task);
        }
    }

    public void RunFinished(RunSnapshot run)
    {
        foreach (var o in observers)
        {
            o.RunFinished(run);
        }
    }
}
