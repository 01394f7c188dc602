using System.Collections.Immutable;

namespace Weft.Core.Templating;

/// <summary>Reads the inside of <c>${{ … }}</c>: a root and a dotted path.</summary>
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

        foreach (var c in inner)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                error = $"invalid character '{c}' in expression '{inner}'; expressions are dotted names such as 'params.date' or 'tasks.extract.outputs.rows'";
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
            error = $"empty name in expression '{inner}'";
            return false;
        }

        reference = new ExpressionReference(root, path, inner, offset);
        return true;
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
