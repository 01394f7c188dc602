using Weft.Core.Runs;
using Weft.Engine.Execution;
using Weft.Engine.Storage;

namespace Weft.Server.Events;

/// <summary>Tells the <see cref="EventHub"/> what this process's executor decides for one run, as it decides it.</summary>
internal sealed class EventHubObserver(EventHub hub, RunRecord run) : IRunObserver
{
    private int _started = run.State == RunState.Running ? 1 : 0;

    public void TaskStarted(TaskInstanceRecord task)
    {
        // The executor does not announce a run's start; its first task's start is when it shows.
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            hub.RunDecided(run with { State = RunState.Running, StartDate = run.StartDate ?? task.StartDate });
        }

        hub.TaskDecided(task);
    }

    public void TaskFinished(TaskInstanceRecord task) => hub.TaskDecided(task);

    public void RunFinished(RunSnapshot run) => hub.RunDecided(run.Run);
}
