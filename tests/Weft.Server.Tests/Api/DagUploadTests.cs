using System.Net;
using System.Text;
using System.Text.Json;
using Weft.Server.Auth;

namespace Weft.Server.Tests.Api;

public sealed class DagUploadTests : IAsyncLifetime
{
    private ServerHarness _server = null!;

    public async Task InitializeAsync() => _server = await ServerHarness.StartAsync(new() { ["Server:DagRescanInterval"] = "00:00:00.200" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static StringContent Yaml(string text) => new(text, Encoding.UTF8, "application/yaml");

    [Fact]
    public async Task Post_ValidYaml_IsStoredScheduledAndReplacedByPut()
    {
        var author = _server.As(Roles.Author);
        using var created = await author.PostAsync("/api/v1/dags", Yaml("""
            id: uploaded
            version: "1"
            schedule: every 1s
            start_date: 2024-01-01
            tasks:
              - { id: hi, command: "echo hi" }
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/dags/uploaded", created.Headers.Location?.OriginalString);
        using (var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()))
        {
            Assert.Equal("1", body.RootElement.GetProperty("version").GetString());
            Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("file_location").ValueKind);
        }

        // Scheduled like a file's DAG: a scheduled run appears and succeeds.
        var viewer = _server.As(Roles.Viewer);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement run;
        while (true)
        {
            using var runs = JsonDocument.Parse(await viewer.GetStringAsync("/api/v1/dags/uploaded/dagRuns"));
            var list = runs.RootElement.GetProperty("dag_runs").EnumerateArray().ToList();
            if (list.FirstOrDefault(r => r.GetProperty("run_type").GetString() == "scheduled" && r.GetProperty("state").GetString() == "success") is { ValueKind: JsonValueKind.Object } done)
            {
                run = done.Clone();
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "no scheduled run of the uploaded DAG succeeded");
            await Task.Delay(100);
        }

        Assert.Equal("1", run.GetProperty("dag_version").GetString());

        using var again = await author.PostAsync("/api/v1/dags", Yaml("id: uploaded\ntasks: [{id: t}]\n"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("PUT /api/v1/dags/uploaded", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var replaced = await author.PutAsync("/api/v1/dags/uploaded", Yaml("id: uploaded\nversion: \"2\"\ntasks: [{id: t}]\n"));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        using var shown = JsonDocument.Parse(await viewer.GetStringAsync("/api/v1/dags/uploaded"));
        Assert.Equal("2", shown.RootElement.GetProperty("version").GetString());

        using var deleted = await author.DeleteAsync("/api/v1/dags/uploaded");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync("/api/v1/dags/uploaded")).StatusCode);
    }

    [Fact]
    public async Task Post_InvalidDag_Is400WithEveryProblemAndItsLine()
    {
        using var response = await _server.As(Roles.Admin).PostAsync("/api/v1/dags", Yaml("""
            id: broken
            tasks:
              - id: a
                comand: echo
                retries: many
            """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.Contains(errors, e => e.GetProperty("line").GetInt32() == 4 && e.GetProperty("message").GetString()!.Contains("did you mean 'command'?"));
        Assert.Contains(errors, e => e.GetProperty("line").GetInt32() == 5 && e.GetProperty("message").GetString()!.Contains("retries"));
        Assert.Contains("request.yaml:4:5: error:", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_JsonBody_IsReadAsJson()
    {
        using var response = await _server.As(Roles.Author).PostAsync("/api/v1/dags",
            new StringContent("""{"id": "from_json", "tasks": [{"id": "t", "command": "true", "pool": "nope"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var warning = Assert.Single(body.RootElement.GetProperty("warnings").EnumerateArray());
        Assert.Contains("pool 'nope', which does not exist", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_IdAFileDefines_Is409_AndRolesBelowAuthorAre403()
    {
        using var taken = await _server.As(Roles.Author).PostAsync("/api/v1/dags", Yaml("id: hello\ntasks: [{id: t}]\n"));
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains("defined by the file", await taken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var delete = await _server.As(Roles.Admin).DeleteAsync("/api/v1/dags/hello");
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);

        using var operatorPost = await _server.As(Roles.Operator).PostAsync("/api/v1/dags", Yaml("id: x\ntasks: [{id: t}]\n"));
        Assert.Equal(HttpStatusCode.Forbidden, operatorPost.StatusCode);
        using var anonymous = await _server.Anonymous().PostAsync("/api/v1/dags", Yaml("id: x\ntasks: [{id: t}]\n"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
