namespace Weft.Core.Dags;

/// <summary>A notification run when a DAG run ends: a shell command or a webhook URL, given the run JSON.</summary>
public sealed record HookDefinition(string? Command, Uri? Url, SourcePosition Position);
