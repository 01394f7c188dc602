using System.Collections.Immutable;
using System.Text.Json;
using Weft.Core.Scheduling;

using Weft.Core.Dags;

namespace Weft;

/// <summary>A validated, immutable DAG: its schedule, limits, parameters and tasks.</summary>
public sealed record DagDefinition
{
    /// <summary>The DAG id.</summary>
    public required string Id { get; init; }
    /// <summary>Display name (the file's <c>name</c> when <c>id</c> is also present).</summary>
    public string? DisplayName { get; init; }
    /// <summary>The author's version label (<c>version</c> in the file), recorded on each run; null when absent.</summary>
    public string? Version { get; init; }
    /// <summary>SHA-256 (lower-case hex) of the text the DAG was loaded from; null for DAGs built in code.</summary>
    public string? SourceHash { get; init; }
    /// <summary>Free text.</summary>
    public string? Description { get; init; }
    /// <summary>The schedule; null means manual only.</summary>
    public Schedule? Schedule { get; init; }
    /// <summary>IANA zone the schedule and dates are read in.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;
    /// <summary>First logical date (an instant).</summary>
    public DateTimeOffset? StartDate { get; init; }
    /// <summary>Last logical date (an instant).</summary>
    public DateTimeOffset? EndDate { get; init; }
    /// <summary>Create every missed interval since <see cref="StartDate"/>.</summary>
    public bool Catchup { get; init; }
    /// <summary>Runs of this DAG active at once.</summary>
    public int MaxActiveRuns { get; init; } = 16;
    /// <summary>Tasks of one run active at once.</summary>
    public int MaxActiveTasks { get; init; } = 16;
    /// <summary>Parameter defaults.</summary>
    public ImmutableDictionary<string, JsonElement> Params { get; init; } = ImmutableDictionary<string, JsonElement>.Empty;
    /// <summary>Tags.</summary>
    public ImmutableArray<string> Tags { get; init; } = [];
    /// <summary>Run when a run fails.</summary>
    public HookDefinition? OnFailure { get; init; }
    /// <summary>Run when a run succeeds.</summary>
    public HookDefinition? OnSuccess { get; init; }
    /// <summary>Tasks in file order.</summary>
    public ImmutableArray<TaskDefinition> Tasks { get; init; } = [];
    /// <summary>The file it was loaded from; null for DAGs built in code.</summary>
    public string? SourceFile { get; init; }
    /// <summary>Where each DAG-level field stands in the file, by its contract name.</summary>
    public ImmutableDictionary<string, SourcePosition> Positions { get; init; } = ImmutableDictionary<string, SourcePosition>.Empty;

    /// <summary>The folder relative paths are resolved from.</summary>
    public string BaseDirectory => SourceFile is null ? Environment.CurrentDirectory : Path.GetDirectoryName(Path.GetFullPath(SourceFile))!;

    /// <summary>The position of a field, falling back to the top of the file.</summary>
    public SourcePosition PositionOf(string field) =>
        Positions.TryGetValue(field, out var p) ? p : new SourcePosition(SourceFile ?? "<code>", 1, 1);
}
