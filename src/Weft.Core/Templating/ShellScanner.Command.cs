using System.Text;

namespace Weft.Core.Templating;

internal sealed partial class ShellScanner
{
    /// <summary>Reads commands from <paramref name="i"/> up to <paramref name="closer"/> (')' for <c>$( )</c> and
    /// subshells, '\0' for the whole text); returns the position after the closer.</summary>
    private int Command(int i, char closer)
    {
        var word = new StringBuilder();
        var commandStart = true;
        var letCommand = false;
        var caseDepth = 0;
        var doubleBracketFrom = -1;
        var doubleBracketArithmetic = false;

        void EndWord()
        {
            if (word.Length == 0) return;
            var w = word.ToString();
            word.Clear();
            if (doubleBracketFrom >= 0)
            {
                // [[ a -eq b ]] evaluates both sides as arithmetic, which can run commands through a[$(…)].
                if (w is "-eq" or "-ne" or "-lt" or "-le" or "-gt" or "-ge") doubleBracketArithmetic = true;
                else if (w == "]]")
                {
                    if (doubleBracketArithmetic) RefuseRange(doubleBracketFrom, i, Messages.Arithmetic);
                    doubleBracketFrom = -1;
                    doubleBracketArithmetic = false;
                }

                return;
            }

            if (!commandStart)
            {
                return;
            }

            switch (w)
            {
                case "let":
                    letCommand = true;
                    break;
                case "[[":
                    doubleBracketFrom = i;
                    break;
                case "case":
                    caseDepth++;
                    break;
                case "esac":
                    caseDepth = Math.Max(0, caseDepth - 1);
                    break;
            }

            commandStart = w is "if" or "then" or "else" or "elif" or "do" or "while" or "until" or "!" or "{" or "time"
                || IsAssignment(w);
        }

        void Separator()
        {
            EndWord();
            commandStart = true;
            letCommand = false;
        }

        while (i < _s.Length)
        {
            if (IsSlot(i))
            {
                Set(i, letCommand ? ShellPlacement.Refuse(Messages.Arithmetic) : new ShellPlacement(ShellPlacementKind.Word));
                word.Append(SlotChar);
                i++;
                continue;
            }

            var c = _s[i];
            switch (c)
            {
                case '\\':
                    if (IsSlot(i + 1)) Set(i + 1, ShellPlacement.Refuse(Messages.Backslash));
                    else if (At(i + 1) != '\n') word.Append(c).Append(At(i + 1));
                    i += 2;
                    break;
                case '\'':
                    i = SingleQuoted(i + 1, ansi: false);
                    word.Append('q');
                    break;
                case '"':
                    i = DoubleQuoted(i + 1);
                    word.Append('q');
                    break;
                case '$':
                    i = Dollar(i, quoted: false, heredoc: false);
                    word.Append('v');
                    break;
                case '`':
                    i = Backtick(i + 1, inDouble: false);
                    word.Append('v');
                    break;
                case '#' when word.Length == 0:
                    var end = _s.IndexOf('\n', i);
                    end = end < 0 ? _s.Length : end;
                    for (var k = i; k < end; k++)
                    {
                        // A comment is never run; the reference there is only text.
                        if (IsSlot(k)) Set(k, new ShellPlacement(ShellPlacementKind.Expanded));
                    }

                    i = end;
                    break;
                case '(' when word.Length == 0 && At(i + 1) == '(':
                    i = Arithmetic(i + 2, ')');
                    break;
                case '(':
                    i = Command(i + 1, ')');
                    word.Append('v');
                    break;
                case ')' when closer == ')' && caseDepth == 0:
                    EndWord();
                    return i + 1;
                case ')':
                    Separator();
                    i++;
                    break;
                case ' ' or '\t':
                    EndWord();
                    i++;
                    break;
                case '\n':
                    Separator();
                    i = HeredocBodies(i + 1);
                    break;
                case ';' or '&' or '|':
                    Separator();
                    i++;
                    break;
                case '<' when At(i + 1) == '<' && At(i + 2) == '<':
                    EndWord();
                    i += 3;
                    break;
                case '<' when At(i + 1) == '<':
                    EndWord();
                    i = HeredocStart(i + 2);
                    break;
                case '<' or '>':
                    EndWord();
                    i++;
                    break;
                case '[' when commandStart && IsIdentifier(word):
                    // name[index]=value: the index of an indexed array is arithmetic.
                    var close = _s.IndexOf(']', i);
                    close = close < 0 ? _s.Length : close;
                    RefuseRange(i, close, Messages.Arithmetic);
                    word.Append('[');
                    i = close;
                    break;
                default:
                    word.Append(c);
                    i++;
                    break;
            }
        }

        EndWord();
        return i;
    }

    private static bool IsIdentifier(StringBuilder word)
    {
        if (word.Length == 0 || !(char.IsAsciiLetter(word[0]) || word[0] == '_')) return false;
        for (var k = 1; k < word.Length; k++)
        {
            if (!(char.IsAsciiLetterOrDigit(word[k]) || word[k] == '_')) return false;
        }

        return true;
    }

    private static bool IsAssignment(string word)
    {
        var eq = word.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0) return false;
        var name = word[..eq].TrimEnd('+');
        var bracket = name.IndexOf('[', StringComparison.Ordinal);
        if (bracket > 0) name = name[..bracket];
        return name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_');
    }
}
