using System.Collections.Immutable;

namespace Weft.Core.Templating;

/// <summary>
/// Reads the inside of <c>${{ … }}</c>: a root and a dotted path (with <c>[N]</c> indexes into JSON outputs),
/// optionally followed by a fallback: <c>tasks.a.outputs.k || 'none'</c>.
/// </summary>
internal static class ExpressionParser
{
    /// <summary>The roots an expression may start with.</summary>
    public static readonly ImmutableArray<string> Roots = ["params", "tasks", "run", "dag", "task", "secrets"];

    public static bool TryParse(string inner, int offset, out ExpressionReference? reference, out string? error)
    {
        reference = null;
        error = null;
        if (inner.Length == 0)
        {
            error = "empty expression '${{ }}'";
            return false;
        }

        var whole = inner;
        string? fallback = null;
        var or = inner.IndexOf("||", StringComparison.Ordinal);
        if (or >= 0)
        {
            if (!TryFallback(inner[(or + 2)..].Trim(), out fallback))
            {
                error = $"invalid fallback in expression '{inner}'; write a quoted text after '||', e.g. ${{{{ tasks.a.outputs.k || 'none' }}}}";
                return false;
            }

            inner = inner[..or].Trim();
            if (inner.Length == 0)
            {
                error = $"expression '{whole}' has a fallback but nothing before '||'";
                return false;
            }
        }

        foreach (var c in inner)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '[' or ']'))
            {
                error = $"invalid character '{c}' in expression '{whole}'; expressions are dotted names such as 'params.date' or 'tasks.extract.outputs.rows'";
                return false;
            }
        }

        var dot = inner.IndexOf('.', StringComparison.Ordinal);
        var root = dot < 0 ? inner : inner[..dot];
        var rest = dot < 0 ? string.Empty : inner[(dot + 1)..];
        ImmutableArray<string> path;
        if (root == "tasks")
        {
            path = SplitTaskPath(rest);
        }
        else if (root is "params" or "secrets")
        {
            // Parameter and secret names are taken whole, dots included.
            path = rest.Length == 0 ? [] : [rest];
        }
        else
        {
            path = rest.Length == 0 ? [] : [.. rest.Split('.')];
        }

        if (path.Any(p => p.Length == 0))
        {
            error = $"empty name in expression '{whole}'";
            return false;
        }

        if (inner.AsSpan().IndexOfAny('[', ']') >= 0
            && !(root == "tasks" && path.Length == 3 && path[1] == "outputs" && JsonPath.TrySplit(path[2]) is not null))
        {
            error = $"invalid index in expression '{whole}'; '[N]' indexes a list inside a task's JSON output, as in tasks.a.outputs.payload.items[0].id";
            return false;
        }

        reference = new ExpressionReference(root, path, whole, offset) { Fallback = fallback };
        return true;
    }

    /// <summary>A quoted text (<c>'none'</c>, <c>"n/a"</c>) or a bare number or word.</summary>
    private static bool TryFallback(string text, out string? value)
    {
        value = null;
        if (text.Length >= 2 && (text[0] is '\'' or '"') && text[^1] == text[0] && text.IndexOf(text[0], 1) == text.Length - 1)
        {
            value = text[1..^1];
            return true;
        }

        if (text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            value = text;
            return true;
        }

        return false;
    }

    // Task ids may hold dots, so the path is read from its known end: ".outputs.KEY" or ".state".
    private static ImmutableArray<string> SplitTaskPath(string rest)
    {
        var outputs = rest.LastIndexOf(".outputs.", StringComparison.Ordinal);
        if (outputs > 0)
        {
            return [rest[..outputs], "outputs", rest[(outputs + ".outputs.".Length)..]];
        }

        if (rest.EndsWith(".state", StringComparison.Ordinal) && rest.Length > ".state".Length)
        {
            return [rest[..^".state".Length], "state"];
        }

        return rest.Length == 0 ? [] : [.. rest.Split('.')];
    }
}
