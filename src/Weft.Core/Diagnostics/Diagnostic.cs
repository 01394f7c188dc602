using Weft.Core.Dags;

namespace Weft.Core.Diagnostics;

/// <summary>How serious a diagnostic is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Legal but suspicious.</summary>
    Warning,
    /// <summary>The DAG cannot be used.</summary>
    Error,
}

/// <summary>One problem found in a DAG file, printed as <c>FILE:LINE:COL: error: MESSAGE</c>.</summary>
public sealed record Diagnostic(DiagnosticSeverity Severity, SourcePosition Position, string Message)
{
    /// <summary>An error at a position.</summary>
    public static Diagnostic Error(SourcePosition at, string message) => new(DiagnosticSeverity.Error, at, message);

    /// <summary>A warning at a position.</summary>
    public static Diagnostic Warning(SourcePosition at, string message) => new(DiagnosticSeverity.Warning, at, message);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Position.File}:{Position.Line}:{Position.Column}: {(Severity == DiagnosticSeverity.Error ? "error" : "warning")}: {Message}";
}
