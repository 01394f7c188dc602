using System.Globalization;
using System.Text;
using Weft.Engine.Runners;

namespace Weft.Engine.Logs;

/// <summary>
/// An attempt's log file: <c>2026-11-22T10:00:00.123Z [stdout] line</c>, one line per write. The file is created on
/// the first write, so attempts that log nothing leave nothing on disk.
/// </summary>
internal sealed class FileTaskLog(string path, TimeProvider? timeProvider = null) : ITaskLog, IDisposable, IAsyncDisposable
{
    // A reader may follow the file from another process, so buffered lines reach the disk within this delay;
    // a burst of output costs one flush per delay rather than one write call per line.
    private static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(50);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private StreamWriter? _writer;
    private ITimer? _flushTimer;
    private bool _flushPending;
    private bool _disposed;

    /// <inheritdoc />
    public string Path { get; } = path;

    /// <inheritdoc />
    public void WriteLine(string stream, string line)
    {
        var stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            var writer = _writer ??= Open();
            writer.Write(stamp);
            writer.Write(" [");
            writer.Write(stream);
            writer.Write("] ");
            writer.Write(line);
            writer.Write('\n');
            if (!_flushPending)
            {
                _flushPending = true;
                (_flushTimer ??= _time.CreateTimer(_ => Flush(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan))
                    .Change(FlushDelay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Writes buffered lines to the file now.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            _flushPending = false;
            if (!_disposed)
            {
                _writer?.Flush();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _flushTimer?.Dispose();
            _writer?.Dispose();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        // The writer holds at most a few lines; closing it is a single small write.
        Dispose();
        return ValueTask.CompletedTask;
    }

    private StreamWriter Open()
    {
        FileStream stream;
        try
        {
            stream = OpenStream();
        }
        catch (DirectoryNotFoundException)
        {
            // Only the first attempt of a task finds its folder missing; the others skip the mkdir.
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
            stream = OpenStream();
        }

        return new StreamWriter(stream, new UTF8Encoding(false), 4096);
    }

    // Append: a retried run of the same attempt number (after `tasks clear`) keeps the earlier text.
    private FileStream OpenStream() =>
        new(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 4096);
}
