namespace Weft.Core.Templating;

internal sealed partial class ShellScanner
{
    /// <summary>Why a placement is refused, and what to write instead.</summary>
    internal static class Messages
    {
        public const string SingleQuotes =
            "stands inside single quotes, where a value cannot be inserted safely; use double quotes (\"… ${{ x }} …\") or end the single quotes before it";

        public const string AnsiQuotes =
            "stands inside $'…', where a value cannot be inserted safely; use double quotes (\"… ${{ x }} …\")";

        public const string Arithmetic =
            "stands in arithmetic ($(( )), (( )), $[ ], let, an array index or [[ … -eq … ]]), where bash evaluates a value as an expression that can run commands; assign it to a variable first (n=${{ x }}), check that it is a number (case $n in ''|*[!0-9]*) exit 1;; esac), then compute with $n";

        public const string VariableName =
            "would form part of a variable name; write the name out and put the value in double quotes (\"${{ x }}\")";

        public const string Backslash =
            "follows a backslash, which would change how the value is read; remove the backslash";

        public const string HeredocDelimiter =
            "stands in a here-document's delimiter; write a fixed delimiter (<<EOF)";

        public const string QuotedHeredoc =
            "stands in a here-document whose delimiter is quoted, so nothing in it is expanded; write the delimiter unquoted (<<EOF) to have values substituted";
    }
}
