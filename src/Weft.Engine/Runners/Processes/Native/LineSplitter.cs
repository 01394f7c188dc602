using System.Text;

namespace Weft.Engine.Runners.Processes.Native;

/// <summary>
/// Cuts one output stream into lines as <see cref="StreamReader.ReadLine"/> does: a line ends at <c>\n</c>,
/// <c>\r\n</c> or a lone <c>\r</c>; the text after the last end is a line of its own; a UTF-8 byte order mark at the
/// start is dropped; invalid UTF-8 becomes U+FFFD. Line ends are ASCII, so cutting bytes before decoding never splits
/// a character.
/// </summary>
internal sealed class LineSplitter(string stream, ITaskLog log)
{
    private static readonly Encoding Utf8 = new UTF8Encoding(false);

    private byte[] _pending = [];
    private int _pendingLength;
    private bool _skipLineFeed;
    private bool _started;

    /// <summary>Logs every line that <paramref name="chunk"/> completes and keeps the rest for the next chunk.</summary>
    public void Write(ReadOnlySpan<byte> chunk)
    {
        var start = 0;
        if (_skipLineFeed && chunk.Length > 0)
        {
            _skipLineFeed = false;
            if (chunk[0] == (byte)'\n')
            {
                start = 1;
            }
        }

        while (start < chunk.Length)
        {
            var rest = chunk[start..];
            var end = rest.IndexOfAny((byte)'\n', (byte)'\r');
            if (end < 0)
            {
                Keep(rest);
                return;
            }

            Emit(rest[..end]);
            start += end + 1;
            if (rest[end] == (byte)'\r')
            {
                if (start < chunk.Length)
                {
                    if (chunk[start] == (byte)'\n')
                    {
                        start++;
                    }
                }
                else
                {
                    _skipLineFeed = true;
                }
            }
        }
    }

    /// <summary>The stream ended: logs the unterminated last line, if any.</summary>
    public void Complete()
    {
        if (_pendingLength > 0)
        {
            Emit([]);
        }
    }

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        if (_pendingLength + bytes.Length > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(_pendingLength + bytes.Length, Math.Max(256, _pending.Length * 2)));
        }

        bytes.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += bytes.Length;
    }

    private void Emit(ReadOnlySpan<byte> tail)
    {
        string line;
        if (_pendingLength == 0)
        {
            line = Decode(tail);
        }
        else
        {
            Keep(tail);
            line = Decode(_pending.AsSpan(0, _pendingLength));
            _pendingLength = 0;
        }

        log.WriteLine(stream, line);
    }

    private string Decode(ReadOnlySpan<byte> bytes)
    {
        if (!_started)
        {
            _started = true;
            if (bytes.StartsWith("\uFEFF"u8))
            {
                bytes = bytes[3..];
            }
        }

        return Utf8.GetString(bytes);
    }
}
