using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Weft.Server.Auth;

namespace Weft.Server.Tests;

public sealed class RunApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerHarness Server => fixture.Server;

    [Fact]
    public async Task Dags_AreRegisteredFromTheFolder_Paged_WithSource()
    {
        var viewer = Server.As(Roles.Viewer);
        var all = JsonDocument.Parse(await viewer.GetStringAsync("/api/v1/dags")).RootElement;
        Assert.Equal(4, all.GetProperty("total_entries").GetInt32());
        var page = JsonDocument.Parse(await viewer.GetStringAsync("/api/v1/dags?limit=1&offset=1")).RootElement;
        Assert.Single(page.GetProperty("dags").EnumerateArray());
        Assert.Equal(4, page.GetProperty("total_entries").GetInt32());
        var tagged = JsonDocument.Parse(await viewer.GetStringAsync("/api/v1/dags?tags=demo")).RootElement;
        Assert.Equal("hello", tagged.GetProperty("dags")[0].GetProperty("dag_id").GetString());

        var source = JsonDocument.Parse(await viewer.GetStringAsync("/api/v1/dags/hello/source")).RootElement;
        Assert.Contains("echo hello", source.GetProperty("content").GetString(), StringComparison.Ordinal);
        await AuthTests.AssertProblemAsync(await viewer.GetAsync("/api/v1/dags/nope"), HttpStatusCode.NotFound);
        await AuthTests.AssertProblemAsync(await viewer.GetAsync("/api/v1/dags?limit=0"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Trigger_ValidatesConf_RunsTheTask_AndServesItsLog()
    {
        var op = Server.As(Roles.Operator);
        using var unknown = await op.PostAsJsonAsync("/api/v1/dags/hello/dagRuns", new { conf = new { whom = "x" } });
        await AuthTests.AssertProblemAsync(unknown, HttpStatusCode.BadRequest);
        using var notObject = await op.PostAsJsonAsync("/api/v1/dags/hello/dagRuns", new { conf = 3 });
        await AuthTests.AssertProblemAsync(notObject, HttpStatusCode.BadRequest);
        await AuthTests.AssertProblemAsync(await op.PostAsJsonAsync("/api/v1/dags/nope/dagRuns", new { }), HttpStatusCode.NotFound);

        var runId = await Server.TriggerAsync("hello", new { conf = new { who = "weft" } });
        var run = await Server.WaitForRunAsync("hello", runId, "success", "failed");
        Assert.Equal("success", run.GetProperty("state").GetString());
        Assert.Equal("weft", run.GetProperty("conf").GetProperty("who").GetString());
        Assert.EndsWith("Z", run.GetProperty("start_date").GetString(), StringComparison.Ordinal);

        var log = await op.GetStringAsync($"/api/v1/dags/hello/dagRuns/{runId}/taskInstances/greet/logs/1");
        Assert.Contains("hello weft", log, StringComparison.Ordinal);
        await AuthTests.AssertProblemAsync(await op.GetAsync($"/api/v1/dags/hello/dagRuns/{runId}/taskInstances/greet/logs/2"), HttpStatusCode.NotFound);

        var list = JsonDocument.Parse(await op.GetStringAsync("/api/v1/dags/hello/dagRuns?limit=5")).RootElement;
        Assert.True(list.GetProperty("total_entries").GetInt32() >= 1);
        Assert.False(list.GetProperty("dag_runs")[0].TryGetProperty("tasks", out _));
        var tis = JsonDocument.Parse(await op.GetStringAsync($"/api/v1/dags/hello/dagRuns/{runId}/taskInstances")).RootElement;
        Assert.Equal(1, tis.GetProperty("total_entries").GetInt32());
        Assert.Equal("success", tis.GetProperty("task_instances")[0].GetProperty("state").GetString());

        using var duplicate = await op.PostAsJsonAsync("/api/v1/dags/hello/dagRuns", new { run_id = runId });
        await AuthTests.AssertProblemAsync(duplicate, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Secret_IsResolved_ButNeverAppearsInALogOrAResponse()
    {
        const string value = "hunter2-very-secret-value";
        var admin = Server.As(Roles.Admin);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/secrets/api_key", new { value })).StatusCode);

        var runId = await Server.TriggerAsync("uses_secret");
        await Server.WaitForRunAsync("uses_secret", runId, "failed", "success");
        var bodies = new List<string>
        {
            await admin.GetStringAsync($"/api/v1/dags/uses_secret/dagRuns/{runId}"),
            await admin.GetStringAsync($"/api/v1/dags/uses_secret/dagRuns/{runId}/taskInstances"),
            await admin.GetStringAsync($"/api/v1/dags/uses_secret/dagRuns/{runId}/taskInstances/leak"),
            await admin.GetStringAsync("/api/v1/dags/uses_secret/dagRuns"),
            await admin.GetStringAsync("/api/v1/dags/uses_secret"),
            await admin.GetStringAsync("/api/v1/secrets"),
            await admin.GetStringAsync("/api/v1/events"),
        };
        var log = await admin.GetStringAsync($"/api/v1/dags/uses_secret/dagRuns/{runId}/taskInstances/leak/logs/1");
        Assert.Contains("the key is ***", log, StringComparison.Ordinal);
        bodies.Add(log);
        Assert.Contains("\"key\":\"***\"", bodies[0], StringComparison.Ordinal);
        foreach (var body in bodies)
        {
            Assert.DoesNotContain(value, body, StringComparison.Ordinal);
        }

        foreach (var file in Directory.EnumerateFiles(Path.Combine(Server.Home, "logs"), "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(value, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }

        // At rest: encrypted, and the key file is the owner's only.
        var stored = Assert.Single(await Server.Store.ListSecretsAsync(CancellationToken.None), s => s.Name == "api_key");
        Assert.DoesNotContain(value, System.Text.Encoding.UTF8.GetString(stored.Ciphertext), StringComparison.Ordinal);
        var key = Path.Combine(Server.Home, "secrets.key");
        Assert.Equal(32, new FileInfo(key).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }
    }

    [Fact]
    public async Task FollowLog_StreamsLinesAsServerSentEvents_UntilTheAttemptEnds()
    {
        var runId = await Server.TriggerAsync("slow");
        var client = Server.As(Roles.Viewer);
        var url = $"/api/v1/dags/slow/dagRuns/{runId}/taskInstances/lines";
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (JsonDocument.Parse(await client.GetStringAsync(url)).RootElement.GetProperty("try_number").GetInt32() < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the task did not start");
            await Task.Delay(20);
        }

        using var response = await client.GetAsync(url + "/logs/1?follow=true", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = new List<string>();
        var sawRunning = false;
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null)
        {
            lines.Add(line);
            if (line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains("line 1", StringComparison.Ordinal))
            {
                // The first line arrives while the task still runs.
                var state = JsonDocument.Parse(await client.GetStringAsync(url)).RootElement.GetProperty("state").GetString();
                sawRunning = state == "running";
            }
        }

        Assert.True(sawRunning, "the stream only started after the task ended");
        for (var i = 1; i <= 6; i++)
        {
            Assert.Contains(lines, l => l.StartsWith("data: ", StringComparison.Ordinal) && l.EndsWith($"line {i}", StringComparison.Ordinal));
        }

        Assert.Contains("event: end", lines);
        Assert.Equal("data: success", lines[lines.IndexOf("event: end") + 1]);
    }

    [Fact]
    public async Task MarkAndClear_ChangeStates_AndRerunTasks()
    {
        var op = Server.As(Roles.Operator);
        var runId = await Server.TriggerAsync("fails");
        var run = await Server.WaitForRunAsync("fails", runId, "failed");
        Assert.Equal("upstream_failed", run.GetProperty("tasks")[1].GetProperty("state").GetString());

        // Clear the failed task and its downstream: both run again, and the first fails again.
        using var dry = await op.PostAsJsonAsync($"/api/v1/dags/fails/dagRuns/{runId}/clear", new { only_failed = true, dry_run = true });
        var dryBody = JsonDocument.Parse(await dry.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, dryBody.GetProperty("task_ids").GetArrayLength());
        using var cleared = await op.PostAsJsonAsync($"/api/v1/dags/fails/dagRuns/{runId}/taskInstances/boom/clear", new { include_downstream = true });
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        run = await Server.WaitForRunAsync("fails", runId, "failed");
        Assert.Equal(2, run.GetProperty("tasks")[0].GetProperty("try_number").GetInt32());

        // Marking the failed task success lets the run settle as... still failed on its leaf, until that is cleared.
        using var marked = await op.PatchAsJsonAsync($"/api/v1/dags/fails/dagRuns/{runId}/taskInstances/boom", new { state = "success" });
        Assert.Equal("success", JsonDocument.Parse(await marked.Content.ReadAsStringAsync()).RootElement.GetProperty("state").GetString());
        using var clearNext = await op.PostAsJsonAsync($"/api/v1/dags/fails/dagRuns/{runId}/taskInstances/next/clear", new { });
        run = await Server.WaitForRunAsync("fails", runId, "success");
        Assert.Equal("success", run.GetProperty("tasks")[1].GetProperty("state").GetString());

        using var markRun = await op.PatchAsJsonAsync($"/api/v1/dags/fails/dagRuns/{runId}", new { state = "failed" });
        Assert.Equal("failed", JsonDocument.Parse(await markRun.Content.ReadAsStringAsync()).RootElement.GetProperty("state").GetString());
        await AuthTests.AssertProblemAsync(await op.PatchAsJsonAsync($"/api/v1/dags/fails/dagRuns/{runId}", new { state = "running" }), HttpStatusCode.BadRequest);
        await AuthTests.AssertProblemAsync(await op.PatchAsJsonAsync($"/api/v1/dags/fails/dagRuns/nope", new { state = "failed" }), HttpStatusCode.NotFound);

        var events = await op.GetStringAsync("/api/v1/events");
        Assert.Contains("test-operator", events, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PausedDag_KeepsItsRunsQueued_UntilUnpaused()
    {
        var op = Server.As(Roles.Operator);
        using var pause = await op.PatchAsJsonAsync("/api/v1/dags/slow", new { is_paused = true });
        Assert.True(JsonDocument.Parse(await pause.Content.ReadAsStringAsync()).RootElement.GetProperty("is_paused").GetBoolean());
        var runId = await Server.TriggerAsync("slow");
        await Task.Delay(400);
        Assert.Equal("queued", (await Server.WaitForRunAsync("slow", runId, "queued", "running", "success")).GetProperty("state").GetString());
        await op.PatchAsJsonAsync("/api/v1/dags/slow", new { is_paused = false });
        await Server.WaitForRunAsync("slow", runId, "success");
    }

    [Fact]
    public async Task Pools_AdminCreatesAndResizes()
    {
        var admin = Server.As(Roles.Admin);
        using var created = await admin.PostAsJsonAsync("/api/v1/pools", new { name = "gpu", slots = 2 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await AuthTests.AssertProblemAsync(await admin.PostAsJsonAsync("/api/v1/pools", new { name = "gpu", slots = 2 }), HttpStatusCode.Conflict);
        using var resized = await admin.PatchAsJsonAsync("/api/v1/pools/gpu", new { slots = 5 });
        Assert.Equal(5, JsonDocument.Parse(await resized.Content.ReadAsStringAsync()).RootElement.GetProperty("slots").GetInt32());
        await AuthTests.AssertProblemAsync(await admin.GetAsync("/api/v1/pools/none"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Metrics_ArePrometheusText_WithTransitionsAndDurations()
    {
        var runId = await Server.TriggerAsync("hello");
        await Server.WaitForRunAsync("hello", runId, "success");

        // The run's end is committed a moment before the executor counts it.
        var text = "";
        for (var i = 0; i < 100 && !text.Contains("weft_dag_run_transitions_total{dag_id=\"hello\",state=\"success\"}", StringComparison.Ordinal); i++)
        {
            using var response = await Server.As(Roles.Viewer).GetAsync("/metrics");
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
            text = await response.Content.ReadAsStringAsync();
            await Task.Delay(50);
        }

        Assert.Contains("# TYPE weft_dag_run_transitions_total counter", text, StringComparison.Ordinal);
        Assert.Contains("weft_dag_run_transitions_total{dag_id=\"hello\",state=\"success\"}", text, StringComparison.Ordinal);
        Assert.Contains("weft_task_instance_transitions_total{dag_id=\"hello\",state=\"running\"}", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE weft_task_instance_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("weft_dag_run_duration_seconds_bucket{dag_id=\"hello\",state=\"success\",le=\"+Inf\"}", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE weft_task_instance_scheduling_delay_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("weft_dag_run_queued ", text, StringComparison.Ordinal);
        Assert.Contains("weft_dag_run_active ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_DescribesEveryEndpointAndSchema()
    {
        var doc = JsonDocument.Parse(await Server.Anonymous().GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = doc.GetProperty("paths");
        foreach (var path in new[]
        {
            "/api/v1/health", "/api/v1/dags", "/api/v1/dags/{dag_id}", "/api/v1/dags/{dag_id}/source", "/api/v1/dags/{dag_id}/dagRuns",
            "/api/v1/dags/{dag_id}/dagRuns/{run_id}", "/api/v1/dags/{dag_id}/dagRuns/{run_id}/clear",
            "/api/v1/dags/{dag_id}/dagRuns/{run_id}/taskInstances", "/api/v1/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}",
            "/api/v1/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/logs/{try_number}", "/api/v1/pools", "/api/v1/workers",
            "/api/v1/events", "/api/v1/tokens", "/api/v1/secrets", "/metrics",
        })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        var schemas = doc.GetProperty("components").GetProperty("schemas");
        var run = schemas.GetProperty("DagRunResponse").GetProperty("properties");
        Assert.True(run.TryGetProperty("run_id", out _));
        Assert.Equal("date-time", run.GetProperty("start_date").GetProperty("format").GetString());
        Assert.True(schemas.TryGetProperty("ProblemDetails", out _));
        Assert.True(doc.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("Bearer", out _));
    }
}
