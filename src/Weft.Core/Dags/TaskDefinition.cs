using System.Collections.Immutable;
using System.Text.Json;
using Weft.Core.Runs;

namespace Weft.Core.Dags;

/// <summary>One task of a DAG, with every field of the DAG file typed and its defaults applied.</summary>
public sealed record TaskDefinition
{
    /// <summary>Unique id in the DAG.</summary>
    public required string Id { get; init; }
    /// <summary>What the task runs.</summary>
    public TaskType Type { get; init; } = TaskType.Noop;
    /// <summary>Shell command (shell tasks).</summary>
    public string? Command { get; init; }
    /// <summary>Script path (script tasks).</summary>
    public string? Script { get; init; }
    /// <summary>Script arguments; a map in the file is already flattened to <c>--key value</c>.</summary>
    public ImmutableArray<string> Args { get; init; } = [];
    /// <summary>The Python function a python task calls, as <c>package.module:func</c>.</summary>
    public string? Function { get; init; }
    /// <summary>Folders put before the DAG's folder on the Python path of a python task (relative to the DAG file).</summary>
    public ImmutableArray<string> PythonPath { get; init; } = [];
    /// <summary><c>args</c> as written when it is a mapping: the keyword arguments of a python task.</summary>
    public ImmutableDictionary<string, JsonElement> Kwargs { get; init; } = ImmutableDictionary<string, JsonElement>.Empty;
    /// <summary>Extra environment variables.</summary>
    public ImmutableDictionary<string, string> Env { get; init; } = ImmutableDictionary<string, string>.Empty;
    /// <summary>Working directory; null means the DAG file's folder.</summary>
    public string? WorkingDir { get; init; }
    /// <summary>Upstream task ids.</summary>
    public ImmutableArray<string> DependsOn { get; init; } = [];
    /// <summary>HTTP URL (http tasks).</summary>
    public string? Url { get; init; }
    /// <summary>HTTP method; GET by default.</summary>
    public string Method { get; init; } = "GET";
    /// <summary>HTTP headers.</summary>
    public ImmutableDictionary<string, string> Headers { get; init; } = ImmutableDictionary<string, string>.Empty;
    /// <summary>HTTP body: a JSON value (an object or array is sent as JSON, a string as text).</summary>
    public JsonElement? Body { get; init; }
    /// <summary>Accepted HTTP statuses; empty means any 2xx.</summary>
    public ImmutableArray<int> ExpectStatus { get; init; } = [];
    /// <summary>When the task may run, given its upstreams' states.</summary>
    public TriggerRule TriggerRule { get; init; } = TriggerRule.AllSuccess;
    /// <summary>Extra attempts after the first.</summary>
    public int Retries { get; init; }
    /// <summary>First retry delay.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>How the retry delay grows.</summary>
    public RetryBackoff RetryBackoff { get; init; } = RetryBackoff.Exponential;
    /// <summary>Cap on the retry delay.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromHours(1);
    /// <summary>Only these exit codes are retried; empty means any non-zero code.</summary>
    public ImmutableArray<int> RetryOnExitCodes { get; init; } = [];
    /// <summary>An attempt running longer is killed and fails.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>An SLA miss is recorded when the task is not done this long after the run started.</summary>
    public TimeSpan? Sla { get; init; }
    /// <summary>A shell or script task exiting with this code ends skipped.</summary>
    public int SkipOnExitCode { get; init; } = 99;
    /// <summary>Pool that limits concurrency across DAGs.</summary>
    public string Pool { get; init; } = "default_pool";
    /// <summary>Slots taken in the pool.</summary>
    public int PoolSlots { get; init; } = 1;
    /// <summary>Higher runs first when slots are scarce.</summary>
    public int Priority { get; init; }
    /// <summary>Worker queue.</summary>
    public string Queue { get; init; } = "default";
    /// <summary>Its failure fails the run at once.</summary>
    public bool Critical { get; init; }
    /// <summary>The circuit breaker the task's attempts go through; null for none.</summary>
    public CircuitBreakerDefinition? CircuitBreaker { get; init; }
    /// <summary>Run when the task fails for good (no retry left), given the attempt's JSON.</summary>
    public HookDefinition? OnFailure { get; init; }
    /// <summary>Run when an attempt fails and the task will be retried, given the attempt's JSON.</summary>
    public HookDefinition? OnRetry { get; init; }
    /// <summary>Run when the task succeeds, given the attempt's JSON.</summary>
    public HookDefinition? OnSuccess { get; init; }
    /// <summary>The C# body of a delegate task.</summary>
    public Func<ITaskContext, CancellationToken, Task>? Delegate { get; init; }
    /// <summary>Where each field stands in the file, by its contract name (e.g. <c>command</c>); the task itself is under <c>id</c>.</summary>
    public ImmutableDictionary<string, SourcePosition> Positions { get; init; } = ImmutableDictionary<string, SourcePosition>.Empty;

    /// <summary>Total attempts allowed.</summary>
    public int MaxTries => Retries + 1;

    /// <summary>The position of a field, falling back to the task's own position.</summary>
    public SourcePosition PositionOf(string field) =>
        Positions.TryGetValue(field, out var p) ? p : Positions.TryGetValue("id", out var id) ? id : SourcePosition.None;
}
