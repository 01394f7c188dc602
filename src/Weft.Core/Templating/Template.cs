using System.Collections.Immutable;

namespace Weft.Core.Templating;

/// <summary>A string with <c>${{ … }}</c> expressions. Placeholder surface; the templating work fills it in.</summary>
public sealed class Template
{
    private Template(string source, ImmutableArray<ExpressionReference> references)
    {
        Source = source;
        References = references;
    }

    /// <summary>The text as written.</summary>
    public string Source { get; }

    /// <summary>The expressions, in order.</summary>
    public ImmutableArray<ExpressionReference> References { get; }

    /// <summary>True when the text holds no expression.</summary>
    public bool IsLiteral => References.IsEmpty;

    /// <summary>Parses a template; on failure gives the message and the 0-based offset of the problem.</summary>
    public static bool TryParse(string text, out Template? template, out string? error, out int errorOffset) =>
        throw new NotImplementedException();

    /// <summary>Substitutes every expression; with <paramref name="shellQuote"/> each value becomes one shell word.</summary>
    public string Render(Func<ExpressionReference, string> resolve, bool shellQuote = false) =>
        throw new NotImplementedException();
}
