using Microsoft.Extensions.Time.Testing;
using Weft.Engine.Logs;

namespace Weft.Engine.Tests.Logs;

public sealed class FileTaskLogTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "weft-log-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void WriteLine_FirstWrite_CreatesFileAndFolders()
    {
        var path = Path.Combine(_dir, "a", "b", "attempt=1.log");
        using var log = new FileTaskLog(path);
        Assert.False(File.Exists(path));

        log.WriteLine("stdout", "hello");
        log.Flush();

        Assert.True(File.Exists(path));
    }

    [Fact]
    public void WriteLine_FormatsTimestampStreamAndLine()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 11, 0, 0, 123, TimeSpan.FromHours(1)));
        var path = Path.Combine(_dir, "attempt=1.log");
        using (var log = new FileTaskLog(path, time))
        {
            log.WriteLine("stdout", "one");
            log.WriteLine("stderr", "two");
        }

        Assert.Equal(
            ["2026-11-22T10:00:00.123Z [stdout] one", "2026-11-22T10:00:00.123Z [stderr] two"],
            File.ReadAllLines(path));
    }

    [Fact]
    public async Task WriteLine_IsVisibleToAReaderWithoutDisposeWithinMilliseconds()
    {
        var path = Path.Combine(_dir, "attempt=1.log");
        using var log = new FileTaskLog(path);

        log.WriteLine("stdout", "soon");
        await Task.Delay(300);

        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        Assert.EndsWith("[stdout] soon", (await reader.ReadToEndAsync()).TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteLine_FromManyThreads_KeepsLinesWhole()
    {
        var path = Path.Combine(_dir, "attempt=1.log");
        await using (var log = new FileTaskLog(path))
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
            {
                for (var i = 0; i < 500; i++)
                {
                    log.WriteLine("stdout", $"thread {t} line {i}");
                }
            })));
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(4000, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^\S+Z \[stdout\] thread \d line \d+$", l));
    }

    [Fact]
    public void WriteLine_AfterDispose_IsIgnored()
    {
        var path = Path.Combine(_dir, "attempt=1.log");
        var log = new FileTaskLog(path);
        log.Dispose();

        log.WriteLine("stdout", "late");

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void AFullDisk_StopsTheLog_ReportsOnce_AndNeverThrows()
    {
        // /dev/full answers every write with ENOSPC, as a full disk does.
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "attempt=1.log");
        File.CreateSymbolicLink(path, "/dev/full");
        var reports = new List<string>();
        var log = new FileTaskLog(path, onFailure: reports.Add);

        for (var i = 0; i < 2_000; i++)
        {
            log.WriteLine("stdout", new string('x', 100));
        }

        log.Flush();
        log.Dispose();

        var failure = Assert.Single(reports);
        Assert.Equal(failure, log.Failure);
        Assert.StartsWith("its log could not be written: ", failure, StringComparison.Ordinal);
        Assert.Contains("space", failure, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(path, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnopenableLog_FailsOnTheFirstWrite()
    {
        // A file where the log's folder should be: the folder cannot be made.
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "blocked"), "");
        using var log = new FileTaskLog(Path.Combine(_dir, "blocked", "attempt=1.log"));

        log.WriteLine("stdout", "hello");

        Assert.NotNull(log.Failure);
    }
}
