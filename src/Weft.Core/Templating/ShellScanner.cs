using System.Text;

namespace Weft.Core.Templating;

/// <summary>
/// A small reader of bash syntax that finds, for each expression of a command, the context it stands in:
/// unquoted, double quotes, <c>$( )</c>, backticks (with their backslash rules), here-documents, <c>${ }</c>,
/// arithmetic, single quotes. It does not execute or fully parse bash; it follows quoting and nesting, which is
/// all that decides how a value can be referenced. Where it is unsure it refuses rather than guesses.
/// </summary>
internal sealed partial class ShellScanner
{
    private const char SlotChar = '\uFFFF';

    private readonly string _s;
    private readonly int[] _slotAt; // the expression index at each position, or -1
    private readonly ShellPlacement?[] _result;
    private readonly List<PendingHeredoc> _heredocs = [];

    private ShellScanner(string text, int[] slotAt, ShellPlacement?[] result)
    {
        _s = text;
        _slotAt = slotAt;
        _result = result;
    }

    /// <summary>The placement of each expression of a template whose literals are <paramref name="literals"/>.</summary>
    public static ShellPlacement[] Scan(IReadOnlyList<string> literals)
    {
        var sb = new StringBuilder();
        var slots = new List<int>();
        for (var i = 0; i < literals.Count; i++)
        {
            sb.Append(literals[i]);
            for (var k = 0; k < literals[i].Length; k++) slots.Add(-1);
            if (i < literals.Count - 1)
            {
                sb.Append(SlotChar);
                slots.Add(i);
            }
        }

        var result = new ShellPlacement?[literals.Count - 1];
        new ShellScanner(sb.ToString(), [.. slots], result).Command(0, '\0');
        return [.. result.Select(r => r ?? ShellPlacement.Refuse("the place of this expression in the command could not be determined; put it in double quotes"))];
    }

    private bool IsSlot(int i) => i < _s.Length && _slotAt[i] >= 0;

    private char At(int i) => i < _s.Length ? _s[i] : '\0';

    private void Set(int i, ShellPlacement placement)
    {
        var slot = _slotAt[i];
        // The first refusal wins: a slot is refused if any reading of it is unsafe.
        if (_result[slot] is not { Kind: ShellPlacementKind.Refused })
        {
            _result[slot] = placement;
        }
    }

    /// <summary>Refuses every expression in [from, to).</summary>
    private void RefuseRange(int from, int to, string problem)
    {
        for (var i = from; i < Math.Min(to, _s.Length); i++)
        {
            if (IsSlot(i)) Set(i, ShellPlacement.Refuse(problem));
        }
    }

    private sealed record PendingHeredoc(string Delimiter, bool Quoted, bool StripTabs);
}
