using System.Collections.Immutable;
using System.Text;

namespace Weft.Core.Templating;

/// <summary>A string with <c>${{ … }}</c> expressions, parsed once and rendered per attempt.</summary>
public sealed class Template
{
    private readonly ImmutableArray<string> _literals; // one more than References: text around each expression

    private Template(string source, ImmutableArray<string> literals, ImmutableArray<ExpressionReference> references)
    {
        Source = source;
        _literals = literals;
        References = references;
    }

    /// <summary>The text as written.</summary>
    public string Source { get; }

    /// <summary>The text around the expressions: one more than <see cref="References"/>.</summary>
    internal ImmutableArray<string> Literals => _literals;

    /// <summary>The expressions, in order.</summary>
    public ImmutableArray<ExpressionReference> References { get; }

    /// <summary>True when the text holds no expression.</summary>
    public bool IsLiteral => References.IsEmpty;

    /// <summary>Parses a template; on failure gives the message and the 0-based offset of the problem.</summary>
    public static bool TryParse(string text, out Template? template, out string? error, out int errorOffset)
    {
        template = null;
        error = null;
        errorOffset = 0;
        var literals = ImmutableArray.CreateBuilder<string>();
        var refs = ImmutableArray.CreateBuilder<ExpressionReference>();
        var pos = 0;
        while (true)
        {
            var open = text.IndexOf("${{", pos, StringComparison.Ordinal);
            if (open < 0)
            {
                literals.Add(text[pos..]);
                break;
            }

            var close = text.IndexOf("}}", open + 3, StringComparison.Ordinal);
            if (close < 0)
            {
                error = "unclosed expression: '${{' without a matching '}}'";
                errorOffset = open;
                return false;
            }

            literals.Add(text[pos..open]);
            var inner = text[(open + 3)..close].Trim();
            if (!ExpressionParser.TryParse(inner, open, out var reference, out error))
            {
                errorOffset = open;
                return false;
            }

            refs.Add(reference!);
            pos = close + 2;
        }

        template = new Template(text, literals.ToImmutable(), refs.ToImmutable());
        return true;
    }

    /// <summary>Parses a template that is known to be valid (validated at load time).</summary>
    public static Template Parse(string text) =>
        TryParse(text, out var t, out var error, out var offset) ? t! : throw new FormatException($"{error} (at offset {offset})");

    /// <summary>Substitutes every expression with its value as it is (for URLs, headers, env values and args).</summary>
    public string Render(Func<ExpressionReference, string> resolve)
    {
        if (IsLiteral)
        {
            return Source;
        }

        var sb = new StringBuilder(Source.Length + 32);
        for (var i = 0; i < References.Length; i++)
        {
            sb.Append(_literals[i]);
            sb.Append(resolve(References[i]));
        }

        sb.Append(_literals[^1]);
        return sb.ToString();
    }

    /// <summary>The name of the environment variable that carries the value of expression <paramref name="index"/> (0-based).</summary>
    public static string ShellVariable(int index) => $"WEFT_V_{index + 1}";

    /// <summary>Where each expression stands in the text read as a bash command (computed once).</summary>
    internal ImmutableArray<ShellPlacement> ShellPlacements =>
        _placements.IsDefault ? (_placements = [.. ShellScanner.Scan(_literals)]) : _placements;

    private ImmutableArray<ShellPlacement> _placements;

    /// <summary>
    /// Renders the text as a bash command in which no value is ever shell text: each expression becomes a reference
    /// to an environment variable (<c>"$WEFT_V_1"</c> where it stands unquoted, <c>${WEFT_V_1}</c> inside double
    /// quotes), and <paramref name="variables"/> receives the values to put in the environment.
    /// </summary>
    /// <exception cref="FormatException">An expression stands where no value can be inserted safely.</exception>
    public string RenderShell(Func<ExpressionReference, string> resolve, IDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (IsLiteral)
        {
            return Source;
        }

        var placements = ShellPlacements;
        var sb = new StringBuilder(Source.Length + 32);
        for (var i = 0; i < References.Length; i++)
        {
            sb.Append(_literals[i]);
            var name = ShellVariable(i);
            switch (placements[i].Kind)
            {
                case ShellPlacementKind.Word:
                    sb.Append("\"$").Append(name).Append('"');
                    break;
                case ShellPlacementKind.Expanded:
                    sb.Append("${").Append(name).Append('}');
                    break;
                case ShellPlacementKind.ParameterWord:
                    sb.Append("\"${").Append(name).Append("}\"");
                    break;
                default:
                    throw new FormatException($"'${{{{ {References[i].Text} }}}}' {placements[i].Problem}");
            }

            variables[name] = resolve(References[i]);
        }

        sb.Append(_literals[^1]);
        return sb.ToString();
    }
}
