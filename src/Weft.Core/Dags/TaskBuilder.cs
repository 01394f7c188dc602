using System.Collections.Immutable;
using System.Text.Json;
using Weft.Core.Dags;
using Weft.Core.Runs;

namespace Weft;

/// <summary>Sets the fields of one task (or of the defaults every task starts with).</summary>
public sealed class TaskBuilder
{
    internal TaskBuilder(TaskDefinition start, TaskType? explicitType = null)
    {
        Definition = start;
        ExplicitType = explicitType;
    }

    internal TaskDefinition Definition { get; private set; }

    internal TaskType? ExplicitType { get; private set; }

    /// <summary>The task type; inferred when not set (command: shell, url: http, script: script, else noop).</summary>
    public TaskBuilder Type(TaskType type)
    {
        ExplicitType = type;
        return this;
    }

    /// <summary>A shell command, run by <c>/bin/bash -eo pipefail -c</c>; <c>${{ … }}</c> values are shell-quoted.</summary>
    public TaskBuilder Command(string command) => Set(Definition with { Command = command });

    /// <summary>A script path; the interpreter comes from its extension.</summary>
    public TaskBuilder Script(string path, params string[] args) => Set(Definition with { Script = path, Args = args.Length > 0 ? [.. args] : Definition.Args });

    /// <summary>Script arguments.</summary>
    public TaskBuilder Args(params string[] args) => Set(Definition with { Args = [.. args] });

    /// <summary>An environment variable.</summary>
    public TaskBuilder Env(string name, string value) => Set(Definition with { Env = Definition.Env.SetItem(name, value) });

    /// <summary>The working directory.</summary>
    public TaskBuilder WorkingDir(string path) => Set(Definition with { WorkingDir = path });

    /// <summary>Adds upstream tasks.</summary>
    public TaskBuilder DependsOn(params string[] taskIds) => Set(Definition with { DependsOn = Definition.DependsOn.AddRange(taskIds) });

    /// <summary>An HTTP request: URL and method (GET by default).</summary>
    public TaskBuilder Url(string url, string method = "GET") => Set(Definition with { Url = url, Method = method.ToUpperInvariant() });

    /// <summary>An HTTP header.</summary>
    public TaskBuilder Header(string name, string value) => Set(Definition with { Headers = Definition.Headers.SetItem(name, value) });

    /// <summary>The HTTP body, as JSON.</summary>
    public TaskBuilder Body(JsonElement body) => Set(Definition with { Body = body.Clone() });

    /// <summary>Accepted HTTP statuses (default: any 2xx).</summary>
    public TaskBuilder ExpectStatus(params int[] statuses) => Set(Definition with { ExpectStatus = [.. statuses] });

    /// <summary>When the task may run, given its upstreams' states.</summary>
    public TaskBuilder TriggerRule(TriggerRule rule) => Set(Definition with { TriggerRule = rule });

    /// <summary>Extra attempts after the first.</summary>
    public TaskBuilder Retries(int retries) => Set(Definition with { Retries = retries });

    /// <summary>The first retry delay.</summary>
    public TaskBuilder RetryDelay(TimeSpan delay) => Set(Definition with { RetryDelay = delay });

    /// <summary>How the delay grows.</summary>
    public TaskBuilder RetryBackoff(RetryBackoff backoff) => Set(Definition with { RetryBackoff = backoff });

    /// <summary>The cap on the retry delay.</summary>
    public TaskBuilder MaxRetryDelay(TimeSpan delay) => Set(Definition with { MaxRetryDelay = delay });

    /// <summary>Only these exit codes are retried.</summary>
    public TaskBuilder RetryOnExitCodes(params int[] codes) => Set(Definition with { RetryOnExitCodes = [.. codes] });

    /// <summary>An attempt running longer is killed and fails.</summary>
    public TaskBuilder Timeout(TimeSpan timeout) => Set(Definition with { Timeout = timeout });

    /// <summary>An SLA miss is recorded when the task is not done this long after the run started.</summary>
    public TaskBuilder Sla(TimeSpan sla) => Set(Definition with { Sla = sla });

    /// <summary>The exit code that ends the task skipped (default 99).</summary>
    public TaskBuilder SkipOnExitCode(int code) => Set(Definition with { SkipOnExitCode = code });

    /// <summary>The pool and the slots taken in it.</summary>
    public TaskBuilder Pool(string pool, int slots = 1) => Set(Definition with { Pool = pool, PoolSlots = slots });

    /// <summary>Higher runs first when slots are scarce.</summary>
    public TaskBuilder Priority(int priority) => Set(Definition with { Priority = priority });

    /// <summary>The worker queue.</summary>
    public TaskBuilder Queue(string queue) => Set(Definition with { Queue = queue });

    /// <summary>Its failure fails the run at once.</summary>
    public TaskBuilder Critical(bool critical = true) => Set(Definition with { Critical = critical });

    /// <summary>The C# body of a delegate task.</summary>
    public TaskBuilder Delegate(Func<ITaskContext, CancellationToken, Task> body)
    {
        ExplicitType = TaskType.Delegate;
        return Set(Definition with { Delegate = body });
    }

    internal TaskDefinition Finish()
    {
        var t = Definition;
        var type = ExplicitType ?? (t.Command is not null ? TaskType.Shell : t.Url is not null ? TaskType.Http : t.Script is not null ? TaskType.Script : TaskType.Noop);
        return t with { Type = type, Positions = ImmutableDictionary<string, SourcePosition>.Empty };
    }

    private TaskBuilder Set(TaskDefinition definition)
    {
        Definition = definition;
        return this;
    }
}
