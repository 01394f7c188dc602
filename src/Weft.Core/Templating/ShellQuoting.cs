using System.Text;

namespace Weft.Core.Templating;

/// <summary>Where a position in a shell command stands with respect to quotes.</summary>
internal enum ShellQuoteContext
{
    None,
    Single,
    Double,
}

/// <summary>Quoting values so that the shell reads each as one word and never as syntax.</summary>
public static class ShellQuoting
{
    /// <summary>Quotes a value as one bare shell word: left as it is when it holds only safe characters, else single-quoted.</summary>
    public static string Quote(string value)
    {
        if (value.Length > 0 && value.All(IsSafe))
        {
            return value;
        }

        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    internal static string QuoteIn(ShellQuoteContext context, string value) => context switch
    {
        // Inside '…' nothing is special but the closing quote: end the quote, add an escaped one, reopen.
        ShellQuoteContext.Single => value.Replace("'", "'\\''", StringComparison.Ordinal),
        // Inside "…" the shell still expands $, ` and \, so escape exactly those and the closing quote.
        ShellQuoteContext.Double => EscapeDouble(value),
        _ => Quote(value),
    };

    // Tracks the quote state across a literal piece of command text.
    internal static ShellQuoteContext Advance(ShellQuoteContext context, string literal)
    {
        for (var i = 0; i < literal.Length; i++)
        {
            var c = literal[i];
            switch (context)
            {
                case ShellQuoteContext.None:
                    if (c == '\\') i++;
                    else if (c == '\'') context = ShellQuoteContext.Single;
                    else if (c == '"') context = ShellQuoteContext.Double;
                    break;
                case ShellQuoteContext.Single:
                    if (c == '\'') context = ShellQuoteContext.None;
                    break;
                case ShellQuoteContext.Double:
                    if (c == '\\') i++;
                    else if (c == '"') context = ShellQuoteContext.None;
                    break;
            }
        }

        return context;
    }

    private static string EscapeDouble(string value)
    {
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '$' or '`' or '\\' or '"')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static bool IsSafe(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ':' or '=' or '@' or '%' or '+' or ',';
}
