using System.Globalization;
using System.Text.Json;
using Weft.Server.Auth;

namespace Weft.Server.Tests.Api;

/// <summary>The DAG list and detail tell when each scheduled DAG runs next, as the scheduler will.</summary>
public sealed class DagNextRunTests : IAsyncLifetime
{
    private ServerHarness _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerHarness.StartAsync(moreDags: new Dictionary<string, string>
        {
            ["nightly.yaml"] = """
                id: nightly
                schedule: "30 2 * * *"
                start_date: 2024-01-01
                tasks:
                  - id: work
                    command: echo work
                """,
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ScheduledDag_HasItsNextRun_ManualDagHasNone()
    {
        var viewer = _server.As(Roles.Viewer);
        var list = JsonDocument.Parse(await viewer.GetStringAsync("/api/v1/dags")).RootElement.GetProperty("dags");
        var nightly = list.EnumerateArray().Single(d => d.GetProperty("dag_id").GetString() == "nightly");
        var hello = list.EnumerateArray().Single(d => d.GetProperty("dag_id").GetString() == "hello");

        var runAfter = Time(nightly, "next_dagrun_run_after");
        var logical = Time(nightly, "next_dagrun_logical_date");
        Assert.InRange(runAfter - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromDays(1));
        Assert.Equal((2, 30), (runAfter.UtcDateTime.Hour, runAfter.UtcDateTime.Minute));
        Assert.Equal(TimeSpan.FromDays(1), runAfter - logical);
        Assert.Equal(JsonValueKind.Null, hello.GetProperty("next_dagrun_run_after").ValueKind);
        Assert.Equal(JsonValueKind.Null, hello.GetProperty("next_dagrun_logical_date").ValueKind);

        var detail = JsonDocument.Parse(await viewer.GetStringAsync("/api/v1/dags/nightly")).RootElement;
        Assert.Equal(runAfter, Time(detail, "next_dagrun_run_after"));
    }

    private static DateTimeOffset Time(JsonElement dag, string property) =>
        DateTimeOffset.Parse(dag.GetProperty(property).GetString()!, CultureInfo.InvariantCulture);
}
