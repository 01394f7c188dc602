using System.Globalization;
using System.Text;
using Weft.Engine.Runners;

namespace Weft.Engine.Logs;

/// <summary>
/// An attempt's log file: <c>2026-11-22T10:00:00.123Z [stdout] line</c>, one line per write. The file is created on
/// the first write, so attempts that log nothing leave nothing on disk. A log that cannot be written (disk full, no
/// permission) never throws into its callers: it stops writing, keeps the first error in <see cref="Failure"/> and calls
/// <c>onFailure</c> once, so the attempt concerned fails with that reason and the process goes on.
/// </summary>
internal sealed class FileTaskLog(string path, TimeProvider? timeProvider = null, Action<string>? onFailure = null)
    : ITaskLog, IDisposable, IAsyncDisposable
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

    /// <summary>Why the log stopped being written (disk full, no permission); null while it works.</summary>
    public string? Failure { get; private set; }

    /// <inheritdoc />
    public void WriteLine(string stream, string line)
    {
        var stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        string? failed = null;
        lock (_lock)
        {
            if (_disposed || Failure is not null)
            {
                return;
            }

            try
            {
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
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failed = Fail(ex);
            }
        }

        Report(failed);
    }

    /// <summary>Writes buffered lines to the file now.</summary>
    public void Flush()
    {
        string? failed = null;
        lock (_lock)
        {
            _flushPending = false;
            try
            {
                if (!_disposed && Failure is null)
                {
                    _writer?.Flush();
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // This runs on a timer thread too, where an exception would end the process.
                failed = Fail(ex);
            }
        }

        Report(failed);
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
            try
            {
                _writer?.Dispose();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Failure ??= Describe(ex);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        // The writer holds at most a few lines; closing it is a single small write.
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Records the first failure and drops the writer (its buffer cannot reach the disk); under the lock.</summary>
    private string? Fail(Exception error)
    {
        if (Failure is not null)
        {
            return null;
        }

        Failure = Describe(error);
        try
        {
            _writer?.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The same failure again, on closing: the buffered lines are lost either way.
        }

        _writer = null;
        return Failure;
    }

    private string Describe(Exception error) =>
        "its log could not be written: " + (error.Message.Contains(Path, StringComparison.Ordinal) ? error.Message : $"{error.Message} ({Path})");

    // Outside the lock: the callback stops the attempt, which may log on its way out.
    private void Report(string? failure)
    {
        if (failure is not null)
        {
            onFailure?.Invoke(failure);
        }
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
