using System.Collections.Immutable;

namespace Weft.Core.Templating;

/// <summary>
/// One <c>${{ root.a.b }}</c> expression: its root (<c>params</c>, <c>tasks</c>, <c>run</c>, <c>dag</c>,
/// <c>task</c>, <c>secrets</c>), the dotted path after it, the raw text and where <c>${{</c> starts in the source string.
/// </summary>
public sealed record ExpressionReference(string Root, ImmutableArray<string> Path, string Text, int Offset);
