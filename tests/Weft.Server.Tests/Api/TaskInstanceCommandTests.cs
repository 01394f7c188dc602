using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Weft.Server.Auth;

namespace Weft.Server.Tests.Api;

/// <summary>One task instance's answer carries its command as rendered for the run, secrets masked.</summary>
public sealed class TaskInstanceCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerHarness Server => fixture.Server;

    [Fact]
    public async Task TaskInstance_ShowsTheCommandWithTheRunsValues()
    {
        var runId = await Server.TriggerAsync("hello", new { conf = new { who = "the operator" } });
        await Server.WaitForRunAsync("hello", runId, "success", "failed");
        var viewer = Server.As(Roles.Viewer);

        var greet = JsonDocument.Parse(await viewer.GetStringAsync($"/api/v1/dags/hello/dagRuns/{runId}/taskInstances/greet")).RootElement;

        Assert.Equal("echo hello the operator", greet.GetProperty("rendered_command").GetString());
        var list = JsonDocument.Parse(await viewer.GetStringAsync($"/api/v1/dags/hello/dagRuns/{runId}/taskInstances")).RootElement;
        Assert.Equal(JsonValueKind.Null, list.GetProperty("task_instances")[0].GetProperty("rendered_command").ValueKind);
    }

    [Fact]
    public async Task TaskInstance_MasksSecretsInTheRenderedCommand()
    {
        const string value = "s3cr3t-in-a-command";
        Assert.Equal(HttpStatusCode.NoContent, (await Server.As(Roles.Admin).PutAsJsonAsync("/api/v1/secrets/api_key", new { value })).StatusCode);
        var runId = await Server.TriggerAsync("uses_secret");
        await Server.WaitForRunAsync("uses_secret", runId, "failed", "success");

        var body = await Server.As(Roles.Viewer).GetStringAsync($"/api/v1/dags/uses_secret/dagRuns/{runId}/taskInstances/leak");

        Assert.DoesNotContain(value, body, StringComparison.Ordinal);
        Assert.Equal("echo the key is ***; echo key=*** >> $WEFT_OUTPUT; exit 4",
            JsonDocument.Parse(body).RootElement.GetProperty("rendered_command").GetString());
    }
}
