using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using Weft.Server.Auth;

namespace Weft.Server.Tests;

/// <summary>
/// The API answers tokens, the DAG list and finished runs from memory: a change through the API shows in the next
/// answer, a change written to the database by another process within the refresh interval (1 s by default).
/// </summary>
public sealed class CachingTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    // The refresh interval plus generous room for a loaded machine.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private ServerHarness Server => fixture.Server;

    [Fact]
    public async Task Token_RevokedByAnotherProcess_IsRefusedWithinTheRefreshInterval()
    {
        var token = await ApiTokens.CreateAsync(Server.Store, "elsewhere", Roles.Viewer, DateTimeOffset.UtcNow, CancellationToken.None);
        var client = WithToken(token!);
        // Created outside the server and used at once: a miss reads the tokens again.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/dags")).StatusCode);

        Assert.True(await Server.Store.RevokeTokenAsync("elsewhere", DateTimeOffset.UtcNow, CancellationToken.None));
        var refused = await WaitAsync(async () => (await client.GetAsync("/api/v1/dags")).StatusCode == HttpStatusCode.Unauthorized);
        Assert.True(refused < Bound, $"still accepted after {refused}");
    }

    [Fact]
    public async Task Token_RevokedThroughTheApi_IsRefusedAtOnce_AndACreatedOneWorksAtOnce()
    {
        var admin = Server.As(Roles.Admin);
        using var created = await admin.PostAsJsonAsync("/api/v1/tokens", new { name = "brief", role = "operator" });
        var token = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        var client = WithToken(token);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/dags")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/v1/tokens/brief")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/dags")).StatusCode);
    }

    [Fact]
    public async Task TokenUse_IsWrittenInTheBackground()
    {
        var viewer = Server.As(Roles.Viewer);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/dags")).StatusCode);
        var written = await WaitAsync(async () =>
            (await Server.Store.ListTokensAsync(CancellationToken.None)).Single(t => t.Name == "test-viewer").LastUsedAt is not null);
        Assert.True(written < TimeSpan.FromSeconds(15), $"last use not written after {written}");
    }

    [Fact]
    public async Task Dag_PausedThroughTheApi_ShowsPausedInTheNextList_AndByAnotherProcessWithinTheInterval()
    {
        var op = Server.As(Roles.Operator);
        Assert.False(await IsPausedInListAsync(op, "fails"));

        using var patch = await op.PatchAsJsonAsync("/api/v1/dags/fails", new { is_paused = true });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.True(await IsPausedInListAsync(op, "fails"));
        Assert.Contains("\"dag_id\":\"fails\"", await op.GetStringAsync("/api/v1/dags?paused=true"), StringComparison.Ordinal);

        // As `weft dags unpause` would, straight in the database.
        Assert.True(await Server.Store.SetPausedAsync("fails", false, CancellationToken.None));
        var seen = await WaitAsync(async () => !await IsPausedInListAsync(op, "fails"));
        Assert.True(seen < Bound, $"still paused in the list after {seen}");
    }

    [Fact]
    public async Task FinishedRun_MarkedOrClearedThroughTheApi_ShowsInTheNextTaskInstances()
    {
        var op = Server.As(Roles.Operator);
        var runId = await Server.TriggerAsync("hello");
        await Server.WaitForRunAsync("hello", runId, "success");
        var url = $"/api/v1/dags/hello/dagRuns/{Uri.EscapeDataString(runId)}/taskInstances";
        var before = await TaskAsync(op, url, "greet");
        Assert.Equal("success", before.GetProperty("state").GetString());
        Assert.Equal("success", (await TaskAsync(op, url, "greet")).GetProperty("state").GetString());

        using (var mark = await op.PatchAsJsonAsync($"{url}/greet", new { state = "failed" }))
        {
            Assert.Equal(HttpStatusCode.OK, mark.StatusCode);
        }

        Assert.Equal("failed", (await TaskAsync(op, url, "greet")).GetProperty("state").GetString());
        Assert.Equal("failed", JsonDocument.Parse(await op.GetStringAsync($"{url}/greet")).RootElement.GetProperty("state").GetString());
        await Server.WaitForRunAsync("hello", runId, "failed");

        using (var clear = await op.PostAsJsonAsync($"{url}/greet/clear", new { }))
        {
            Assert.Equal(HttpStatusCode.OK, clear.StatusCode);
        }

        // The cleared task may already be running again; either way the answer is not the failed one kept before.
        var after = await TaskAsync(op, url, "greet");
        Assert.True(after.GetProperty("state").GetString() != "failed" || after.GetProperty("max_tries").GetInt32() > before.GetProperty("max_tries").GetInt32(), after.ToString());
        await Server.WaitForRunAsync("hello", runId, "success");
        Assert.Equal("success", (await TaskAsync(op, url, "greet")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task FinishedRun_ChangedByAnotherProcess_ShowsWithinTheInterval()
    {
        var viewer = Server.As(Roles.Viewer);
        var runId = await Server.TriggerAsync("hello");
        await Server.WaitForRunAsync("hello", runId, "success");
        var url = $"/api/v1/dags/hello/dagRuns/{Uri.EscapeDataString(runId)}/taskInstances";
        Assert.Equal("success", (await TaskAsync(viewer, url, "greet")).GetProperty("state").GetString());

        // As `weft tasks mark RUN greet failed` would, straight in the database.
        var snapshot = (await Server.Store.GetRunAsync("hello", runId, CancellationToken.None))!;
        var batch = new StateBatch();
        batch.TaskInstances.Add(snapshot.Tasks.Single() with { State = TaskState.Failed, Reason = "marked failed" });
        batch.Runs.Add(snapshot.Run with { State = RunState.Failed });
        await Server.Store.CommitAsync(batch, CancellationToken.None);

        var seen = await WaitAsync(async () => (await TaskAsync(viewer, url, "greet")).GetProperty("state").GetString() == "failed");
        Assert.True(seen < Bound, $"still success after {seen}");
        Assert.Equal("failed", JsonDocument.Parse(await viewer.GetStringAsync($"/api/v1/dags/hello/dagRuns/{Uri.EscapeDataString(runId)}")).RootElement
            .GetProperty("state").GetString());
    }

    private HttpClient WithToken(string token)
    {
        var client = Server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<bool> IsPausedInListAsync(HttpClient client, string dagId)
    {
        var list = JsonDocument.Parse(await client.GetStringAsync("/api/v1/dags")).RootElement;
        return list.GetProperty("dags").EnumerateArray().Single(d => d.GetProperty("dag_id").GetString() == dagId).GetProperty("is_paused").GetBoolean();
    }

    private static async Task<JsonElement> TaskAsync(HttpClient client, string url, string taskId)
    {
        var list = JsonDocument.Parse(await client.GetStringAsync(url)).RootElement;
        return list.GetProperty("task_instances").EnumerateArray().Single(t => t.GetProperty("task_id").GetString() == taskId).Clone();
    }

    /// <summary>Polls until the condition holds; returns how long that took (fails after 15 s).</summary>
    private static async Task<TimeSpan> WaitAsync(Func<Task<bool>> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), "the condition never held");
            await Task.Delay(50);
        }

        return watch.Elapsed;
    }
}
