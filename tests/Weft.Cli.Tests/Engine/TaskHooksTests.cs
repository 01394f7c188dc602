using System.Text.Json;

namespace Weft.Cli.Tests.EngineRuns;

public sealed class TaskHooksTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TaskHooks_GetTheAttemptJson_OnRetrySuccessAndFailure()
    {
        var dag = _dir.Write("hooks.yaml", """
            id: hooks
            defaults: { retry_delay: 0s }
            tasks:
              - id: flaky
                command: 'test -f once || { touch once; echo out=first >> "$WEFT_OUTPUT"; exit 3; }; echo out=second >> "$WEFT_OUTPUT"'
                retries: 1
                on_retry: { command: 'cat > retry.json' }
                on_success: 'echo "$WEFT_HOOK_EVENT $WEFT_TASK_ID $WEFT_ATTEMPT" > success.txt'
              - id: broken
                command: exit 4
                on_failure: { command: 'cat > failure.json' }
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), dag);

        Assert.Equal(1, run.ExitCode);
        using var retry = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir.Path, "retry.json")));
        Assert.Equal("retry", retry.RootElement.GetProperty("event").GetString());
        Assert.Equal("flaky", retry.RootElement.GetProperty("task_id").GetString());
        Assert.Equal("up_for_retry", retry.RootElement.GetProperty("state").GetString());
        Assert.Equal(3, retry.RootElement.GetProperty("exit_code").GetInt32());
        Assert.Equal(run.RunId, retry.RootElement.GetProperty("run_id").GetString());
        Assert.Equal("success flaky 2", File.ReadAllText(Path.Combine(_dir.Path, "success.txt")).Trim());
        using var failure = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir.Path, "failure.json")));
        Assert.Equal(("failure", "failed", 4), (failure.RootElement.GetProperty("event").GetString(), failure.RootElement.GetProperty("state").GetString(), failure.RootElement.GetProperty("exit_code").GetInt32()));
    }
}
