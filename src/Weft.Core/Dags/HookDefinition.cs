namespace Weft.Core.Dags;

/// <summary>A notification run when a DAG run or a task ends: a shell command or a webhook URL, given the run's or the attempt's JSON.</summary>
public sealed record HookDefinition(string? Command, Uri? Url, SourcePosition Position);
