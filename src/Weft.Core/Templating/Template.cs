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

    /// <summary>
    /// Substitutes every expression. With <paramref name="shellQuote"/> each value becomes exactly one shell word
    /// whatever it holds, quoted to suit where it stands (bare, inside double quotes, or inside single quotes).
    /// </summary>
    public string Render(Func<ExpressionReference, string> resolve, bool shellQuote = false)
    {
        if (IsLiteral)
        {
            return Source;
        }

        var sb = new StringBuilder(Source.Length + 32);
        var quote = ShellQuoteContext.None;
        for (var i = 0; i < References.Length; i++)
        {
            sb.Append(_literals[i]);
            var value = resolve(References[i]);
            if (shellQuote)
            {
                quote = ShellQuoting.Advance(quote, _literals[i]);
                sb.Append(ShellQuoting.QuoteIn(quote, value));
            }
            else
            {
                sb.Append(value);
            }
        }

        sb.Append(_literals[^1]);
        return sb.ToString();
    }
}
