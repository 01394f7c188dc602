using System.CommandLine;
using System.CommandLine.Parsing;

namespace Weft.Cli;

/// <summary>
/// Reports a command line that does not parse as one <c>weft: error:</c> line and a hint, instead of
/// System.CommandLine's default of every error followed by the whole help text.
/// </summary>
internal static class ParseErrors
{
    /// <summary>
    /// System.CommandLine takes an unknown option given where a command expects arguments (as in
    /// <c>weft validate --bogus dags/</c>) as an argument value. Returns that token, if any, so it can be
    /// reported as unrecognized; a value after <c>--</c> is taken as written.
    /// </summary>
    public static string? FindOptionLikeArgument(ParseResult parseResult, IReadOnlyList<string> args)
    {
        if (args.Contains("--"))
        {
            return null;
        }

        for (SymbolResult? r = parseResult.CommandResult; r is not null; r = r.Parent)
        {
            foreach (var argument in r is CommandResult c ? c.Children.OfType<ArgumentResult>() : [])
            {
                foreach (var token in argument.Tokens)
                {
                    if (token.Value.Length > 1 && token.Value[0] == '-' && !double.TryParse(token.Value, out _))
                    {
                        return token.Value;
                    }
                }
            }
        }

        return null;
    }

    public static void ReportUnrecognized(ParseResult parseResult, string token, TextWriter error) =>
        CliContext.WriteError(error, $"unrecognized command or argument '{token}'", $"run '{CommandPath(parseResult.CommandResult)} --help' for usage");

    public static void Report(ParseResult parseResult, IReadOnlyList<string> args, TextWriter error)
    {
        var path = CommandPath(parseResult.CommandResult);
        string message;
        string hint;
        if (FindOptionLikeArgument(parseResult, args) is { } option)
        {
            // `weft run --frobnicate x.yaml`: the unknown option took the argument's place, and the argument
            // is left over; the option is what is wrong.
            message = $"unrecognized command or argument '{option}'";
            hint = $"run '{path} --help' for usage";
        }
        else if (parseResult.UnmatchedTokens.Count > 0)
        {
            var token = parseResult.UnmatchedTokens[0];
            message = $"unrecognized command or argument '{token}'";
            hint = $"run '{path} --help' for usage";
            // A misspelt command followed by a word that is a command ('weft valdate dags') parses as that
            // command; the suggestion is then found a level up.
            for (var level = parseResult.CommandResult; level is not null && !token.StartsWith('-'); level = level.Parent as CommandResult)
            {
                if (Closest(token, level.Command.Subcommands.Select(c => c.Name)) is { } suggestion)
                {
                    var at = CommandPath(level);
                    hint = $"did you mean '{at} {suggestion}'? run '{at} --help' for usage";
                    break;
                }
            }
        }
        else
        {
            message = Normalize(parseResult.Errors[0].Message);
            hint = $"run '{path} --help' for usage";
        }

        CliContext.WriteError(error, message, hint);
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                names.Add(c.Parent is null ? "weft" : c.Command.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    // System.CommandLine's messages are sentences ("Required argument missing for command: 'plan'."),
    // some over several lines; the contract's error is one lower-case line with no final period.
    private static string Normalize(string message)
    {
        message = string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        message = message.TrimEnd('.');
        return message.Length > 0 ? char.ToLowerInvariant(message[0]) + message[1..] : "invalid command line";
    }

    private static string? Closest(string token, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var d = Distance(token, candidate);
            if (d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
            }
        }

        return bestDistance <= Math.Max(1, token.Length / 3) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }
}
