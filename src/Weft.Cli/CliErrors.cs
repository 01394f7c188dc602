using System.Data.Common;

namespace Weft.Cli;

/// <summary>Turns an exception that ended a command into the contract's error output and an exit code.</summary>
internal static class CliErrors
{
    /// <summary>
    /// Writes the error and returns the exit code: a <see cref="CliException"/> carries its own;
    /// anything else is an infrastructure failure (3), shown as one line, with the stack only when verbose.
    /// </summary>
    public static int Report(Exception exception, TextWriter error, bool verbose)
    {
        if (Innermost(exception) is DllNotFoundException missing)
        {
            // The native executable loads SQLite from the folder it was published to.
            var what = FirstLine(missing.Message);
            var sentence = what.IndexOf(". ", StringComparison.Ordinal);
            CliContext.WriteError(error, $"cannot load a native library: {(sentence < 0 ? what : what[..(sentence + 1)])}",
                $"keep the files of the published folder together (libe_sqlite3.so beside weft); link to {AppContext.BaseDirectory}weft rather than copying it");
            return ExitCodes.Infrastructure;
        }

        switch (exception)
        {
            case CliException cli:
                if (cli.Message.Length > 0)
                {
                    CliContext.WriteError(error, cli.Message, cli.Hint);
                }

                return cli.ExitCode;

            case OperationCanceledException:
                CliContext.WriteError(error, "cancelled", null);
                return 130;

            default:
                // I/O and database failures explain themselves; anything else is a bug, so name its type.
                var message = exception is IOException or UnauthorizedAccessException or DbException
                    ? FirstLine(exception.Message)
                    : $"internal error: {exception.GetType().Name}: {FirstLine(exception.Message)}";
                var hint = verbose ? null
                    : exception is DbException
                        ? "the database is locked by another process or cannot be reached; try again when it answers (an interrupted run continues with 'weft run --resume RUN_ID')"
                        : "run again with --verbose to see the stack trace";
                CliContext.WriteError(error, message, hint);
                if (verbose)
                {
                    error.WriteLine(exception.ToString());
                }

                return ExitCodes.Infrastructure;
        }
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
