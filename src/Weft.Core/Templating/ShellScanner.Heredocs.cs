using System.Text;

namespace Weft.Core.Templating;

internal sealed partial class ShellScanner
{
    /// <summary>After <c>&lt;&lt;</c>: reads the delimiter word; its body is read at the end of the line.</summary>
    private int HeredocStart(int i)
    {
        var stripTabs = At(i) == '-';
        if (stripTabs) i++;
        while (At(i) is ' ' or '\t') i++;
        var delimiter = new StringBuilder();
        var quoted = false;
        while (i < _s.Length && (IsSlot(i) || _s[i] is not (' ' or '\t' or '\n' or ';' or '&' or '|' or '<' or '>' or '(' or ')')))
        {
            if (IsSlot(i))
            {
                Set(i, ShellPlacement.Refuse(Messages.HeredocDelimiter));
                delimiter.Append(SlotChar);
                i++;
                continue;
            }

            var c = _s[i];
            if (c is '\'' or '"')
            {
                quoted = true;
                i++;
                while (i < _s.Length && (_s[i] != c || IsSlot(i)))
                {
                    if (IsSlot(i)) Set(i, ShellPlacement.Refuse(Messages.HeredocDelimiter));
                    delimiter.Append(_s[i]);
                    i++;
                }

                i++;
            }
            else if (c == '\\')
            {
                quoted = true;
                if (i + 1 < _s.Length) delimiter.Append(_s[i + 1]);
                i += 2;
            }
            else
            {
                delimiter.Append(c);
                i++;
            }
        }

        _heredocs.Add(new PendingHeredoc(delimiter.ToString(), quoted, stripTabs));
        return i;
    }

    /// <summary>At the start of the line after a command with here-documents: reads their bodies in order.</summary>
    private int HeredocBodies(int i)
    {
        if (_heredocs.Count == 0) return i;
        var pending = _heredocs.ToArray();
        _heredocs.Clear();
        foreach (var heredoc in pending)
        {
            while (i < _s.Length)
            {
                var lineEnd = _s.IndexOf('\n', i);
                lineEnd = lineEnd < 0 ? _s.Length : lineEnd;
                var line = _s[i..lineEnd];
                if ((heredoc.StripTabs ? line.TrimStart('\t') : line) == heredoc.Delimiter)
                {
                    i = Math.Min(lineEnd + 1, _s.Length);
                    break;
                }

                if (heredoc.Quoted)
                {
                    RefuseRange(i, lineEnd, Messages.QuotedHeredoc);
                    i = lineEnd + 1;
                }
                else
                {
                    i = HeredocLine(i);
                }
            }
        }

        return Math.Min(i, _s.Length);
    }

    /// <summary>One line of a here-document whose delimiter is unquoted: expanded like double quotes, but '"' is plain.</summary>
    private int HeredocLine(int i) => Expanded(i, '\n', heredoc: true);
}
