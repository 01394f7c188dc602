namespace Weft.Engine.Runners.Processes;

/// <summary>
/// Reads the file a task appends its outputs to (<c>$WEFT_OUTPUT</c>), in GitHub Actions' format:
/// <c>key=value</c> lines, and <c>key&lt;&lt;DELIM</c> … <c>DELIM</c> for values that span lines. A later key wins.
/// </summary>
internal static class OutputFileParser
{
    /// <summary>The outputs, and a message for each line that could not be read.</summary>
    public static (Dictionary<string, string> Outputs, List<string> Problems) Parse(string text)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        var lines = text.Split('\n');
        // A file that ends with a newline has an empty last piece; it is not a line.
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        for (var i = 0; i < count; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            // Whichever marker comes first decides, so "a=x<<y" is a plain value and "a<<EOF" a block.
            if (heredoc > 0 && (equals < 0 || heredoc < equals))
            {
                var key = line[..heredoc];
                var delimiter = line[(heredoc + 2)..];
                if (delimiter.Length == 0)
                {
                    problems.Add($"line {i + 1}: '{key}<<' has no delimiter");
                    continue;
                }

                var end = FindDelimiter(lines, count, i + 1, delimiter);
                if (end < 0)
                {
                    problems.Add($"line {i + 1}: no line '{delimiter}' closes the value of '{key}'");
                    break;
                }

                outputs[key] = string.Join('\n', lines[(i + 1)..end].Select(l => l.TrimEnd('\r')));
                i = end;
            }
            else if (equals > 0)
            {
                outputs[line[..equals]] = line[(equals + 1)..];
            }
            else
            {
                problems.Add($"line {i + 1}: expected 'key=value' or 'key<<DELIMITER', found '{line}'");
            }
        }

        return (outputs, problems);
    }

    private static int FindDelimiter(string[] lines, int count, int from, string delimiter)
    {
        for (var j = from; j < count; j++)
        {
            if (lines[j].TrimEnd('\r') == delimiter)
            {
                return j;
            }
        }

        return -1;
    }
}
