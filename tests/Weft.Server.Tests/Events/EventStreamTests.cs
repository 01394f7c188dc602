using System.Net;
using System.Text.Json;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using Weft.Server.Auth;
using Weft.Storage.Sqlite;

namespace Weft.Server.Tests.Events;

public sealed class EventStreamTests
{
    [Fact]
    public async Task Stream_TellsTheRunAndTaskStates_OfTheDagAskedFor_AndNoOther()
    {
        await using var server = await ServerHarness.StartAsync();
        await using var stream = await EventStream.OpenAsync(server.As(Roles.Viewer), "/api/v1/events/stream?dag_id=fails");

        await server.TriggerAsync("hello");
        var runId = await server.TriggerAsync("fails");
        var events = await stream.ReadUntilAsync(e => e.Kind == "run" && e.RunId == runId && e.State == "failed");

        Assert.DoesNotContain(events, e => e.DagId != "fails");
        var boom = events.Where(e => e.TaskId == "boom").Select(e => e.State).ToList();
        Assert.Equal(["running", "failed"], boom);
        Assert.Contains(events, e => e.TaskId == "next" && e.State == "upstream_failed");
        Assert.Contains(events, e => e.Kind == "run" && e.RunId == runId && e.State == "running");
    }

    [Fact]
    public async Task Stream_TellsChangesAnotherProcessWrote_AndNeedsAToken()
    {
        await using var server = await ServerHarness.StartAsync(new() { ["Server:ExecutorEnabled"] = "false" });
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Anonymous().GetAsync("/api/v1/events/stream")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.As(Roles.Viewer).GetAsync("/api/v1/events/stream?dag_id=../x")).StatusCode);
        await using var stream = await EventStream.OpenAsync(server.As(Roles.Viewer), "/api/v1/events/stream");

        // Written by another process on the same database: a run created queued, then finished with its task.
        await using var other = new SqliteStateStore(Path.Combine(server.Home, "weft.db"));
        await other.InitializeAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        var run = new RunRecord("hello", "elsewhere_1", RunState.Queued, "manual", now, now, now, null, null, "{}", null, now);
        var task = new TaskInstanceRecord("hello", "elsewhere_1", "greet", TaskState.None, 0, 1, null, null, null, null, null, null,
            "default", "default_pool", 1, 0, new Dictionary<string, string>());
        await other.CreateRunAsync(run, [task], CancellationToken.None);
        await stream.ReadUntilAsync(e => e.Kind == "run" && e.RunId == "elsewhere_1" && e.State == "queued");

        var batch = new StateBatch();
        batch.Runs.Add(run with { State = RunState.Failed, StartDate = now, EndDate = now });
        batch.TaskInstances.Add(task with { State = TaskState.Failed, TryNumber = 1, StartDate = now, EndDate = now, ExitCode = 2 });
        await other.CommitAsync(batch, CancellationToken.None);
        var events = await stream.ReadUntilAsync(e => e.Kind == "run" && e.RunId == "elsewhere_1" && e.State == "failed");
        Assert.Contains(events, e => e.TaskId == "greet" && e.State == "failed" && e.TryNumber == 1);
    }

    [Fact]
    public async Task Grid_GivesTheLastRuns_WithEveryTaskState_InOneAnswer()
    {
        await using var server = await ServerHarness.StartAsync();
        var first = await server.TriggerAsync("fails");
        await server.WaitForRunAsync("fails", first, "failed");
        var second = await server.TriggerAsync("fails");
        await server.WaitForRunAsync("fails", second, "failed");

        var viewer = server.As(Roles.Viewer);
        var grid = JsonDocument.Parse(await viewer.GetStringAsync("/api/v1/dags/fails/grid?limit=5")).RootElement;
        Assert.Equal(["boom", "next"], grid.GetProperty("task_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, grid.GetProperty("total_entries").GetInt32());
        var runs = grid.GetProperty("dag_runs");
        Assert.Equal(second, runs[0].GetProperty("run_id").GetString());
        Assert.Equal(["failed", "upstream_failed"], runs[1].GetProperty("states").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, runs[1].GetProperty("tries")[0].GetInt32());

        var one = JsonDocument.Parse(await viewer.GetStringAsync("/api/v1/dags/fails/grid?limit=1")).RootElement;
        Assert.Equal(1, one.GetProperty("dag_runs").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.GetAsync("/api/v1/dags/fails/grid?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync("/api/v1/dags/nope/grid")).StatusCode);
    }

    /// <summary>A client of the event stream: reads events as they come.</summary>
    private sealed class EventStream : IAsyncDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;

        private EventStream(HttpResponseMessage response, StreamReader reader)
        {
            _response = response;
            _reader = reader;
        }

        public static async Task<EventStream> OpenAsync(HttpClient client, string url)
        {
            var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            var stream = new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
            // Subscribed once 'ready' arrives: what happens from then on is told.
            await stream.ReadUntilAsync(_ => true, "ready");
            return stream;
        }

        public async Task<List<Change>> ReadUntilAsync(Func<Change, bool> last, string? eventName = null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var seen = new List<Change>();
            string? name = null;
            while (true)
            {
                var line = await _reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException(string.Join("\n", seen));
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    if (eventName is not null)
                    {
                        if (name == eventName)
                        {
                            return seen;
                        }

                        continue;
                    }

                    if (name is "run" or "task")
                    {
                        var e = JsonDocument.Parse(line["data: ".Length..]).RootElement;
                        var change = new Change(
                            e.GetProperty("kind").GetString()!, e.GetProperty("dag_id").GetString()!, e.GetProperty("run_id").GetString()!,
                            e.GetProperty("task_id").GetString(), e.GetProperty("state").GetString()!,
                            e.GetProperty("try_number").ValueKind == JsonValueKind.Number ? e.GetProperty("try_number").GetInt32() : null);
                        Assert.Equal(name, change.Kind);
                        seen.Add(change);
                        if (last(change))
                        {
                            return seen;
                        }
                    }
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            _reader.Dispose();
            _response.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed record Change(string Kind, string DagId, string RunId, string? TaskId, string State, int? TryNumber);
}
