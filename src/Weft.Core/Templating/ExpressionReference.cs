using System.Collections.Immutable;

namespace Weft.Core.Templating;

/// <summary>
/// One <c>${{ root.a.b }}</c> expression: its root (<c>params</c>, <c>tasks</c>, <c>run</c>, <c>dag</c>,
/// <c>task</c>, <c>secrets</c>), the dotted path after it, the raw text and where <c>${{</c> starts in the source string.
/// </summary>
public sealed record ExpressionReference(string Root, ImmutableArray<string> Path, string Text, int Offset)
{
    /// <summary>The text after <c>||</c>, used when the value is missing; null when none is given.</summary>
    public string? Fallback { get; init; }
}
