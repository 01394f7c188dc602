using System.Runtime.CompilerServices;
using System.Text;

namespace Weft.Engine.Logs;

/// <summary>Reads an attempt's log file, whole or following it as it grows (<c>weft logs --follow</c>).</summary>
internal static class TaskLogReader
{
    private static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The lines written so far; nothing when the file does not exist (an attempt that logged nothing).</summary>
    public static IAsyncEnumerable<string> ReadAsync(string path, CancellationToken cancellationToken) =>
        FollowAsync(path, null, static () => true, DefaultPollInterval, cancellationToken);

    /// <summary>
    /// The lines written so far: from the file when this machine has it, else from the copy a worker shipped to the
    /// database (<paramref name="stored"/>); nothing when neither exists.
    /// </summary>
    public static IAsyncEnumerable<string> ReadAsync(string path, StoredAttemptLog? stored, CancellationToken cancellationToken) =>
        FollowAsync(path, stored, static () => true, DefaultPollInterval, cancellationToken);

    /// <summary>Follows the log from the file (see the other overload); without one, from <paramref name="stored"/>.</summary>
    public static IAsyncEnumerable<string> FollowAsync(
        string path, Func<bool> isFinished, TimeSpan? pollInterval, CancellationToken cancellationToken) =>
        FollowAsync(path, null, isFinished, pollInterval, cancellationToken);

    /// <summary>
    /// Yields lines as they are written until <paramref name="isFinished"/> says the attempt has ended and the
    /// file is read to its end. The writer may be another process, so the file is polled rather than watched;
    /// a line is yielded only once its newline is written, except the last one when the attempt has ended.
    /// </summary>
    public static async IAsyncEnumerable<string> FollowAsync(
        string path, StoredAttemptLog? stored, Func<bool> isFinished, TimeSpan? pollInterval, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var storedOffset = 0L;
        var poll = pollInterval ?? DefaultPollInterval;
        var buffer = new byte[16 * 1024];
        var pending = new LineBuffer();
        FileStream? stream = null;
        try
        {
            while (true)
            {
                // Asked before reading: whatever was written before the attempt ended is read in this pass.
                var finished = isFinished();
                stream ??= storedOffset == 0 ? TryOpen(path) : null;
                if (stream is null && stored is not null && await stored.ReadAsync(storedOffset, cancellationToken) is { Length: > 0 } piece)
                {
                    // Run by a worker elsewhere: read from the copy it ships to the database.
                    storedOffset += piece.Length;
                    pending.Append(piece);
                    while (pending.TryTakeLine(out var line))
                    {
                        yield return line;
                    }
                }

                if (stream is not null)
                {
                    int read;
                    while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        pending.Append(buffer.AsSpan(0, read));
                        while (pending.TryTakeLine(out var line))
                        {
                            yield return line;
                        }
                    }
                }

                if (finished)
                {
                    if (pending.TryTakeRest(out var last))
                    {
                        yield return last;
                    }

                    yield break;
                }

                await Task.Delay(poll, cancellationToken);
            }
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }
        }
    }

    private static FileStream? TryOpen(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, useAsync: false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    // Bytes read but not yet split; splitting on '\n' bytes is safe in UTF-8, so a character is never cut.
    private sealed class LineBuffer
    {
        private byte[] _bytes = new byte[4096];
        private int _start;
        private int _end;

        public void Append(ReadOnlySpan<byte> data)
        {
            if (_end + data.Length > _bytes.Length)
            {
                var live = _end - _start;
                var target = live + data.Length > _bytes.Length ? new byte[Math.Max(_bytes.Length * 2, live + data.Length)] : _bytes;
                Array.Copy(_bytes, _start, target, 0, live);
                _bytes = target;
                _start = 0;
                _end = live;
            }

            data.CopyTo(_bytes.AsSpan(_end));
            _end += data.Length;
        }

        public bool TryTakeLine(out string line)
        {
            var newline = Array.IndexOf(_bytes, (byte)'\n', _start, _end - _start);
            if (newline < 0)
            {
                line = string.Empty;
                return false;
            }

            line = Decode(_start, newline);
            _start = newline + 1;
            return true;
        }

        public bool TryTakeRest(out string line)
        {
            line = _end > _start ? Decode(_start, _end) : string.Empty;
            _start = _end = 0;
            return line.Length > 0;
        }

        private string Decode(int from, int to)
        {
            if (to > from && _bytes[to - 1] == (byte)'\r')
            {
                to--;
            }

            return Encoding.UTF8.GetString(_bytes, from, to - from);
        }
    }
}
