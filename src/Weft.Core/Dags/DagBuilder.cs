using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Weft.Core.Dags;
using Weft.Core.Definitions;
using Weft.Core.Diagnostics;

namespace Weft;

/// <summary>Builds a <see cref="DagDefinition"/> in code; the result is the same model a DAG file gives.</summary>
public sealed class DagBuilder
{
    private readonly List<(string Id, Action<TaskBuilder> Configure)> _tasks = [];
    private readonly List<Diagnostic> _errors = [];
    private DagDefinition _dag;
    private Action<TaskBuilder>? _defaults;
    private DateOnly? _startDay;
    private DateOnly? _endDay;

    internal DagBuilder(string id) => _dag = new DagDefinition { Id = id ?? string.Empty };

    /// <summary>Free text shown with the DAG.</summary>
    public DagBuilder Description(string text) => Set(_dag with { Description = text });

    /// <summary>Cron (5 or 6 fields), a preset such as <c>@daily</c>, <c>@once</c>, or <c>every 15m</c>.</summary>
    public DagBuilder Schedule(string schedule)
    {
        if (Weft.Core.Scheduling.Schedule.TryParse(schedule ?? string.Empty, out var parsed, out var error))
        {
            return Set(_dag with { Schedule = parsed });
        }

        return Fail($"invalid schedule '{schedule}': {error}");
    }

    /// <summary>The IANA time zone the schedule and dates are read in (default UTC).</summary>
    public DagBuilder TimeZone(string ianaName) =>
        DateValues.TryFindZone(ianaName, out var zone) ? Set(_dag with { TimeZone = zone }) : Fail($"unknown time zone '{ianaName}'");

    /// <summary>The IANA time zone the schedule and dates are read in (default UTC).</summary>
    public DagBuilder TimeZone(TimeZoneInfo zone) => Set(_dag with { TimeZone = zone });

    /// <summary>The first logical date, an instant.</summary>
    public DagBuilder StartDate(DateTimeOffset instant)
    {
        _startDay = null;
        return Set(_dag with { StartDate = instant });
    }

    /// <summary>The first logical date: midnight of that day in the DAG's time zone.</summary>
    public DagBuilder StartDate(DateOnly day)
    {
        _startDay = day;
        return this;
    }

    /// <summary>The last logical date, an instant.</summary>
    public DagBuilder EndDate(DateTimeOffset instant)
    {
        _endDay = null;
        return Set(_dag with { EndDate = instant });
    }

    /// <summary>The last logical date: midnight of that day in the DAG's time zone.</summary>
    public DagBuilder EndDate(DateOnly day)
    {
        _endDay = day;
        return this;
    }

    /// <summary>Create every missed interval since the start date.</summary>
    public DagBuilder Catchup(bool enabled = true) => Set(_dag with { Catchup = enabled });

    /// <summary>Runs of this DAG active at once (default 16).</summary>
    public DagBuilder MaxActiveRuns(int count) => Set(_dag with { MaxActiveRuns = count });

    /// <summary>Tasks of one run active at once (default 16).</summary>
    public DagBuilder MaxActiveTasks(int count) => Set(_dag with { MaxActiveTasks = count });

    /// <summary>Adds tags.</summary>
    public DagBuilder Tags(params string[] tags) => Set(_dag with { Tags = _dag.Tags.AddRange(tags) });

    /// <summary>A parameter default, as JSON.</summary>
    public DagBuilder Param(string name, JsonElement value) => Set(_dag with { Params = _dag.Params.SetItem(name, value.Clone()) });

    /// <summary>A parameter default: a string (or null).</summary>
    public DagBuilder Param(string name, string? value) => Param(name, JsonValues.Build(w => w.WriteStringValue(value)));

    /// <summary>A parameter default: a whole number.</summary>
    public DagBuilder Param(string name, long value) => Param(name, JsonValues.Build(w => w.WriteNumberValue(value)));

    /// <summary>A parameter default: a number.</summary>
    public DagBuilder Param(string name, double value) => Param(name, JsonValues.Build(w => w.WriteNumberValue(value)));

    /// <summary>A parameter default: a boolean.</summary>
    public DagBuilder Param(string name, bool value) => Param(name, JsonValues.Build(w => w.WriteBooleanValue(value)));

    /// <summary>A parameter default: anything the reflection-based JSON serializer can write.</summary>
    [RequiresUnreferencedCode("Serializes the value with reflection; use the JsonElement overload in trimmed apps.")]
    [RequiresDynamicCode("Serializes the value with reflection; use the JsonElement overload in native apps.")]
    public DagBuilder Param(string name, object? value) => Param(name, JsonSerializer.SerializeToElement(value));


    /// <summary>Fields every task starts with; a task's own settings win.</summary>
    public DagBuilder Defaults(Action<TaskBuilder> configure)
    {
        _defaults = configure;
        return this;
    }

    /// <summary>A shell command run when a run fails (given the run JSON).</summary>
    public DagBuilder OnFailure(string command) => Set(_dag with { OnFailure = new HookDefinition(command, null, SourcePosition.None) });

    /// <summary>A webhook called when a run fails (given the run JSON).</summary>
    public DagBuilder OnFailure(Uri url) => Set(_dag with { OnFailure = new HookDefinition(null, url, SourcePosition.None) });

    /// <summary>A shell command run when a run succeeds.</summary>
    public DagBuilder OnSuccess(string command) => Set(_dag with { OnSuccess = new HookDefinition(command, null, SourcePosition.None) });

    /// <summary>A webhook called when a run succeeds.</summary>
    public DagBuilder OnSuccess(Uri url) => Set(_dag with { OnSuccess = new HookDefinition(null, url, SourcePosition.None) });

    /// <summary>Adds a task described like a file task: <c>t =&gt; t.Command("…").DependsOn("a")</c>.</summary>
    public DagBuilder Task(string id, Action<TaskBuilder> configure)
    {
        _tasks.Add((id, configure));
        return this;
    }

    /// <summary>Adds a C# delegate task; <paramref name="configure"/> sets dependencies, retries and the rest.</summary>
    public DagBuilder Task(string id, Func<ITaskContext, CancellationToken, Task> body, Action<TaskBuilder>? configure = null)
    {
        _tasks.Add((id, t =>
        {
            t.Delegate(body);
            configure?.Invoke(t);
        }));
        return this;
    }

    /// <summary>Adds a C# delegate task that needs no cancellation token.</summary>
    public DagBuilder Task(string id, Func<ITaskContext, Task> body, Action<TaskBuilder>? configure = null) =>
        Task(id, (ctx, _) => body(ctx), configure);

    /// <summary>Validates and returns the DAG; throws <see cref="DagDefinitionException"/> listing every problem.</summary>
    public DagDefinition Build()
    {
        var defaults = new TaskBuilder(new TaskDefinition { Id = string.Empty });
        _defaults?.Invoke(defaults);
        var tasks = ImmutableArray.CreateBuilder<TaskDefinition>(_tasks.Count);
        foreach (var (id, configure) in _tasks)
        {
            var task = new TaskBuilder(defaults.Definition with { Id = id ?? string.Empty }, defaults.ExplicitType);
            configure(task);
            tasks.Add(task.Finish());
        }

        var dag = _dag with
        {
            Tasks = tasks.ToImmutable(),
            StartDate = _startDay is { } s ? DateValues.InZone(s.ToDateTime(TimeOnly.MinValue), _dag.TimeZone) : _dag.StartDate,
            EndDate = _endDay is { } e ? DateValues.InZone(e.ToDateTime(TimeOnly.MinValue), _dag.TimeZone) : _dag.EndDate,
        };
        var diagnostics = _errors.Concat(DagValidator.Validate(dag, null)).ToImmutableArray();
        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            throw new DagDefinitionException(dag.Id, diagnostics);
        }

        return dag;
    }

    private DagBuilder Set(DagDefinition dag)
    {
        _dag = dag;
        return this;
    }

    private DagBuilder Fail(string message)
    {
        _errors.Add(Diagnostic.Error(SourcePosition.None, message));
        return this;
    }
}
