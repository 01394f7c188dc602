using System.Collections.Frozen;

namespace Weft.Engine.Runners.Shell;

/// <summary>
/// Recognises commands bash would run as one plain program call: words of safe characters separated by blanks,
/// with no quoting, expansion, redirection, globbing or control syntax, whose first word is neither a keyword nor a
/// builtin. Such a command can be started directly, as make does, with the same result as through bash.
/// </summary>
internal static class PlainCommand
{
    // Keywords, and builtins that have no program equivalent or behave differently from it (cd, exit, export,
    // pwd with a symlinked folder, kill by job, …).
    private static readonly FrozenSet<string> ShellWords = FrozenSet.ToFrozenSet(
    [
        "case", "coproc", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if", "in", "select", "then",
        "time", "until", "while",
        ".", ":", "alias", "bg", "bind", "break", "builtin", "caller", "cd", "command", "compgen", "complete", "compopt",
        "continue", "declare", "dirs", "disown", "enable", "eval", "exec", "exit", "export", "fc", "fg", "getopts",
        "hash", "help", "history", "jobs", "kill", "let", "local", "logout", "mapfile", "popd", "printf", "pushd", "pwd",
        "read", "readarray", "readonly", "return", "set", "shift", "shopt", "source", "suspend", "test", "times", "trap",
        "type", "typeset", "ulimit", "umask", "unalias", "unset", "wait",
    ], StringComparer.Ordinal);

    // Builtins whose coreutils programs act the same on plain words, except that these answer --help and
    // --version when given them alone, where the builtins do not.
    private static readonly FrozenSet<string> ProgramBuiltins = FrozenSet.ToFrozenSet(["true", "false", "echo"], StringComparer.Ordinal);

    /// <summary>The words of a plain command; false when the command needs bash.</summary>
    public static bool TryGetWords(string command, out string[] words)
    {
        words = [];
        foreach (var c in command)
        {
            if (!IsSafe(c) && c is not (' ' or '\t'))
            {
                return false;
            }
        }

        var split = command.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (split.Length == 0)
        {
            return false;
        }

        var program = split[0];
        // "A=1 cmd" is an assignment, not a program called "A=1".
        if (program.Contains('=', StringComparison.Ordinal) || ShellWords.Contains(program))
        {
            return false;
        }

        if (ProgramBuiltins.Contains(program) && split.Length == 2 && split[1] is "--help" or "--version")
        {
            return false;
        }

        words = split;
        return true;
    }

    // The characters that are literal in every position of an unquoted bash word ('~' expands at the start,
    // '#' starts a comment, '!' is history and negation, everything else is syntax or expansion).
    private static bool IsSafe(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ':' or '=' or '@' or '%' or '+' or ',';
}
