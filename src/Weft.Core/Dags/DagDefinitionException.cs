using System.Collections.Immutable;
using Weft.Core.Diagnostics;

using Weft.Core.Dags;

namespace Weft;

/// <summary>Thrown by <see cref="DagBuilder.Build"/> when the DAG is invalid; lists every problem.</summary>
public sealed class DagDefinitionException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public DagDefinitionException(string dagId, ImmutableArray<Diagnostic> diagnostics)
        : base($"DAG '{dagId}' is invalid:{Environment.NewLine}{string.Join(Environment.NewLine, diagnostics.Select(d => "  " + d.Message))}")
    {
        Diagnostics = diagnostics;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public DagDefinitionException() => Diagnostics = [];

    /// <summary>Creates the exception with a message only.</summary>
    public DagDefinitionException(string message) : base(message) => Diagnostics = [];

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DagDefinitionException(string message, Exception innerException) : base(message, innerException) => Diagnostics = [];

    /// <summary>Every problem found, errors and warnings.</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }
}
