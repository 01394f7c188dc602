namespace Weft;

/// <summary>Triggers runs and waits for them; from DI after <c>services.AddWeft(…)</c>.</summary>
public interface IWeftClient
{
    /// <summary>Creates a manual run of a DAG with the given parameters (over the DAG's defaults) and returns its run id.</summary>
    /// <exception cref="InvalidOperationException">No such DAG, it does not load, or a parameter is refused.</exception>
    Task<string> TriggerAsync(string dagId, IDictionary<string, object?>? parameters = null, CancellationToken cancellationToken = default);

    /// <summary>Waits until the run has finished and returns its outcome.</summary>
    /// <exception cref="InvalidOperationException">No such run.</exception>
    Task<RunResult> WaitAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Triggers a run and waits for it: <see cref="TriggerAsync"/> then <see cref="WaitAsync"/>.</summary>
    Task<RunResult> RunAsync(string dagId, IDictionary<string, object?>? parameters = null, CancellationToken cancellationToken = default);
}
