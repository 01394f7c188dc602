using System.Collections.Immutable;
using Weft.Core.Dags;
using Weft.Core.Diagnostics;

namespace Weft.Core.Definitions;

/// <summary>The outcome of loading one DAG file: the DAG when it has no errors, and every diagnostic found.</summary>
public sealed record LoadResult(string File, DagDefinition? Dag, ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>True when any diagnostic is an error (then <see cref="Dag"/> is null).</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}
