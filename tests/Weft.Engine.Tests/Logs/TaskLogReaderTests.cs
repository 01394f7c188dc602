using Weft.Engine.Logs;

namespace Weft.Engine.Tests.Logs;

public sealed class TaskLogReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "weft-reader-tests", Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ReadAsync_MissingFile_YieldsNothing()
    {
        var lines = await Collect(TaskLogReader.ReadAsync(Path.Combine(_dir, "none.log"), CancellationToken.None));

        Assert.Empty(lines);
    }

    [Fact]
    public async Task ReadAsync_ReadsAllLinesIncludingAnUnterminatedLast()
    {
        var path = Path.Combine(_dir, "a.log");
        await File.WriteAllTextAsync(path, "one\r\ntwo\nthree");

        var lines = await Collect(TaskLogReader.ReadAsync(path, CancellationToken.None));

        Assert.Equal(["one", "two", "three"], lines);
    }

    [Fact]
    public async Task FollowAsync_YieldsLinesAsTheyAreWritten_UntilFinished()
    {
        var path = Path.Combine(_dir, "attempt=1.log");
        var finished = false;
        var seen = new List<string>();
        var follow = Task.Run(async () =>
        {
            await foreach (var line in TaskLogReader.FollowAsync(path, () => Volatile.Read(ref finished), TimeSpan.FromMilliseconds(20), CancellationToken.None))
            {
                lock (seen)
                {
                    seen.Add(line);
                }
            }
        });

        await using (var log = new FileTaskLog(path))
        {
            log.WriteLine("stdout", "first");
            await WaitUntil(() => { lock (seen) { return seen.Count == 1; } });
            log.WriteLine("stdout", "second ünïcode");
            await WaitUntil(() => { lock (seen) { return seen.Count == 2; } });
            log.WriteLine("stderr", "last");
        }

        Volatile.Write(ref finished, true);
        await follow.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(["[stdout] first", "[stdout] second ünïcode", "[stderr] last"], seen.Select(l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..]));
    }

    [Fact]
    public async Task FollowAsync_Cancelled_Stops()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Collect(TaskLogReader.FollowAsync(Path.Combine(_dir, "never.log"), () => false, TimeSpan.FromMilliseconds(10), cts.Token)));
    }

    private static async Task<List<string>> Collect(IAsyncEnumerable<string> lines)
    {
        var list = new List<string>();
        await foreach (var line in lines)
        {
            list.Add(line);
        }

        return list;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
