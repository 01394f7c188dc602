using System.Text;

namespace Weft.Core.Templating;

internal sealed partial class ShellScanner
{
    /// <summary>After an opening single quote (or <c>$'</c>): nothing inside is expanded, so no value can go there.</summary>
    private int SingleQuoted(int i, bool ansi)
    {
        while (i < _s.Length && _s[i] != '\'')
        {
            if (IsSlot(i)) Set(i, ShellPlacement.Refuse(ansi ? Messages.AnsiQuotes : Messages.SingleQuotes));
            i += ansi && _s[i] == '\\' ? 2 : 1;
        }

        return Math.Min(i + 1, _s.Length);
    }

    /// <summary>After an opening double quote: <c>$</c>, backticks and backslashes stay special.</summary>
    private int DoubleQuoted(int i) => Expanded(i, '"', heredoc: false);

    /// <summary>
    /// Text where <c>$</c>, backticks and backslashes are special and nothing else is, up to and past
    /// <paramref name="end"/>: inside double quotes, or one line of a here-document with an unquoted delimiter.
    /// </summary>
    private int Expanded(int i, char end, bool heredoc)
    {
        while (i < _s.Length)
        {
            if (IsSlot(i))
            {
                Set(i, new ShellPlacement(ShellPlacementKind.Expanded));
                i++;
                continue;
            }

            var c = _s[i];
            if (c == end)
            {
                return i + 1;
            }

            switch (c)
            {
                case '\\':
                    if (IsSlot(i + 1)) Set(i + 1, ShellPlacement.Refuse(Messages.Backslash));
                    i += 2;
                    break;
                case '$':
                    i = Dollar(i, quoted: true, heredoc: heredoc);
                    break;
                case '`':
                    i = Backtick(i + 1, inDouble: !heredoc);
                    break;
                default:
                    i++;
                    break;
            }
        }

        return i;
    }

    /// <summary>At a <c>$</c>: command substitution, arithmetic, <c>${ }</c>, <c>$'…'</c>, or a plain variable.</summary>
    private int Dollar(int i, bool quoted, bool heredoc)
    {
        if (IsSlot(i + 1))
        {
            Set(i + 1, ShellPlacement.Refuse(Messages.VariableName));
            return i + 2;
        }

        return At(i + 1) switch
        {
            '(' when At(i + 2) == '(' => Arithmetic(i + 3, ')'),
            '(' => Command(i + 2, ')'),
            '[' => Arithmetic(i + 2, ']'),
            '{' => Parameter(i + 2, quoted, heredoc),
            '\'' when !quoted => SingleQuoted(i + 2, ansi: true),
            '"' when !quoted => DoubleQuoted(i + 2),
            _ => i + 1,
        };
    }

    /// <summary>After <c>$((</c>, <c>((</c> or <c>$[</c>: bash evaluates a value there as an expression, which can run commands.</summary>
    private int Arithmetic(int i, char closer)
    {
        var open = closer == ')' ? '(' : '[';
        var start = i;
        var depth = 0;
        while (i < _s.Length)
        {
            var c = IsSlot(i) ? SlotChar : _s[i];
            if (c == open)
            {
                depth++;
            }
            else if (c == closer)
            {
                if (depth == 0)
                {
                    RefuseRange(start, i, Messages.Arithmetic);
                    return closer == ')' && At(i + 1) == ')' ? i + 2 : i + 1;
                }

                depth--;
            }

            i++;
        }

        RefuseRange(start, _s.Length, Messages.Arithmetic);
        return i;
    }

    /// <summary>After <c>${</c>: a name (no value may form part of it), an optional index, then an operator's word.</summary>
    private int Parameter(int i, bool quoted, bool heredoc)
    {
        if (At(i) is '!' or '#' && At(i + 1) != '}') i++;
        if (IsSlot(i))
        {
            Set(i, ShellPlacement.Refuse(Messages.VariableName));
            i++;
        }

        var nameStart = i;
        while (i < _s.Length && !IsSlot(i) && (char.IsAsciiLetterOrDigit(_s[i]) || _s[i] == '_')) i++;
        if (i == nameStart && At(i) is '@' or '*' or '#' or '?' or '-' or '$' or '!') i++;
        if (IsSlot(i))
        {
            Set(i, ShellPlacement.Refuse(Messages.VariableName));
            i++;
        }

        if (At(i) == '[')
        {
            var close = _s.IndexOf(']', i);
            close = close < 0 ? _s.Length : close;
            RefuseRange(i, close, Messages.Arithmetic);
            i = close + 1;
        }

        var depth = 0;
        while (i < _s.Length)
        {
            if (IsSlot(i))
            {
                // Quoted even inside double quotes, so that a pattern operator (# % /) takes the value literally;
                // a here-document does not split words, and its quotes would be literal.
                Set(i, new ShellPlacement(heredoc ? ShellPlacementKind.Expanded : ShellPlacementKind.ParameterWord));
                i++;
                continue;
            }

            switch (_s[i])
            {
                case '}' when depth == 0:
                    return i + 1;
                case '}':
                    depth--;
                    i++;
                    break;
                case '{':
                    depth++;
                    i++;
                    break;
                case '\\':
                    if (IsSlot(i + 1)) Set(i + 1, ShellPlacement.Refuse(Messages.Backslash));
                    i += 2;
                    break;
                case '\'' when !quoted && !heredoc:
                    i = SingleQuoted(i + 1, ansi: false);
                    break;
                case '"' when !heredoc:
                    i = DoubleQuoted(i + 1);
                    break;
                case '$':
                    i = Dollar(i, quoted, heredoc);
                    break;
                case '`':
                    i = Backtick(i + 1, quoted);
                    break;
                default:
                    i++;
                    break;
            }
        }

        return i;
    }

    /// <summary>
    /// After an opening backtick: the body is read with its backslash rules undone (<c>\$</c>, <c>\`</c>, <c>\\</c>,
    /// and <c>\"</c> inside double quotes), then scanned as a command of its own, as bash does.
    /// </summary>
    private int Backtick(int i, bool inDouble)
    {
        var body = new StringBuilder();
        var slots = new List<int>();
        while (i < _s.Length && (_s[i] != '`' || IsSlot(i)))
        {
            if (_s[i] == '\\' && !IsSlot(i) && i + 1 < _s.Length)
            {
                var n = _s[i + 1];
                if (IsSlot(i + 1))
                {
                    Set(i + 1, ShellPlacement.Refuse(Messages.Backslash));
                    body.Append(SlotChar);
                    slots.Add(_slotAt[i + 1]);
                    i += 2;
                    continue;
                }

                if (n is '$' or '`' or '\\' || (inDouble && n == '"'))
                {
                    body.Append(n);
                    slots.Add(-1);
                    i += 2;
                    continue;
                }
            }

            body.Append(_s[i]);
            slots.Add(_slotAt[i]);
            i++;
        }

        new ShellScanner(body.ToString(), [.. slots], _result).Command(0, '\0');
        return Math.Min(i + 1, _s.Length);
    }
}
