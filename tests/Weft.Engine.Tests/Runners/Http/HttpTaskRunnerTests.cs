using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Weft.Core.Dags;
using Weft.Engine.Runners;
using Weft.Engine.Runners.Http;

namespace Weft.Engine.Tests.Runners.Http;

/// <summary>Against a real HTTP server on 127.0.0.1.</summary>
public sealed class HttpTaskRunnerTests : IDisposable
{
    private readonly AttemptFixture _fx = new();
    private readonly HttpTaskRunner _runner = new();
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Method, string Path, string? ContentType, string? Auth, string Body)> _requests = new();
    private readonly string _base;

    public HttpTaskRunnerTests()
    {
        var port = FreePort();
        _base = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(_base);
        _listener.Start();
        _ = ServeAsync();
    }

    public void Dispose()
    {
        _listener.Close();
        _fx.Dispose();
    }

    private TaskDefinition Http(string path, string method = "GET") =>
        new() { Id = "h", Type = TaskType.Http, Url = _base + path, Method = method };

    [Fact]
    public async Task RunAsync_GetWithExpectStatus_SucceedsWithOutputs()
    {
        var task = Http("status/201?x=1") with { ExpectStatus = [200, 201] };

        var result = await _runner.RunAsync(_fx.Context(task), CancellationToken.None);

        Assert.Equal(TaskOutcome.Success, result.Outcome);
        Assert.Equal("201", result.Outputs["status"]);
        Assert.Equal("{ \"ok\": true, \"path\": \"/status/201\" }", result.Outputs["body"]);
        Assert.Equal("{\"ok\":true,\"path\":\"/status/201\"}", result.Outputs["json"]);
        Assert.Contains($"[weft] > GET {_base}status/201?x=1", _fx.LogLines());
        Assert.Contains(_fx.LogLines(), l => l.StartsWith("[weft] < 201 Created", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_DefaultExpectStatus_AcceptsAny2xx()
    {
        var result = await _runner.RunAsync(_fx.Context(Http("status/204")), CancellationToken.None);

        Assert.Equal(TaskOutcome.Success, result.Outcome);
        Assert.False(result.Outputs.ContainsKey("json"));
    }

    [Fact]
    public async Task RunAsync_UnexpectedStatus_FailsKeepingOutputs()
    {
        var result = await _runner.RunAsync(_fx.Context(Http("status/500")), CancellationToken.None);

        Assert.Equal(TaskOutcome.Failed, result.Outcome);
        Assert.Equal("HTTP status 500 (expected 2xx)", result.Reason);
        Assert.Equal("500", result.Outputs["status"]);
    }

    [Fact]
    public async Task RunAsync_ExpectedStatusListMissed_Fails()
    {
        var task = Http("status/200") with { ExpectStatus = [201] };

        var result = await _runner.RunAsync(_fx.Context(task), CancellationToken.None);

        Assert.Equal("HTTP status 200 (expected 201)", result.Reason);
    }

    [Fact]
    public async Task RunAsync_PostJsonBody_RendersStringLeavesAndHeaders()
    {
        _fx.Outputs["extract"] = new Dictionary<string, string> { ["rows"] = "42\"}" };
        _fx.Secrets["api_token"] = "tok-123";
        var body = JsonDocument.Parse("""{"rows": "${{ tasks.extract.outputs.rows }}", "n": 5, "tags": ["${{ dag.id }}", true]}""").RootElement;
        var task = Http("echo/${{ dag.id }}", "post") with
        {
            Body = body,
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer ${{ secrets.api_token }}" }.ToImmutableDictionary(),
        };

        var result = await _runner.RunAsync(_fx.Context(task), CancellationToken.None);

        Assert.Equal(TaskOutcome.Success, result.Outcome);
        var request = Assert.Single(_requests);
        Assert.Equal(("POST", "/echo/test_dag", "application/json; charset=utf-8", "Bearer tok-123"),
            (request.Method, request.Path, request.ContentType, request.Auth));
        Assert.Equal("""{"rows":"42\"}","n":5,"tags":["test_dag",true]}""", request.Body);
    }

    [Fact]
    public async Task RunAsync_StringBodyAndContentTypeHeader_SendsText()
    {
        var task = Http("echo", "PUT") with
        {
            Body = JsonSerializer.SerializeToElement("id,name\n1,${{ task.id }}"),
            Headers = new Dictionary<string, string> { ["Content-Type"] = "text/csv" }.ToImmutableDictionary(),
        };

        await _runner.RunAsync(_fx.Context(task), CancellationToken.None);

        var request = Assert.Single(_requests);
        Assert.Equal(("PUT", "text/csv", "id,name\n1,h"), (request.Method, request.ContentType, request.Body));
    }

    [Fact]
    public async Task RunAsync_Cancelled_ReturnsCancelled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var result = await _runner.RunAsync(_fx.Context(Http("slow")), cts.Token);

        Assert.Equal("cancelled", result.Reason);
    }

    [Fact]
    public async Task RunAsync_ConnectionRefused_FailsWithReason()
    {
        var task = new TaskDefinition { Id = "h", Type = TaskType.Http, Url = $"http://127.0.0.1:{FreePort()}/" };

        var result = await _runner.RunAsync(_fx.Context(task), CancellationToken.None);

        Assert.Equal(TaskOutcome.Failed, result.Outcome);
        Assert.StartsWith("HTTP request failed:", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InvalidUrl_Fails()
    {
        var task = new TaskDefinition { Id = "h", Type = TaskType.Http, Url = "ftp://example.com/x" };

        var result = await _runner.RunAsync(_fx.Context(task), CancellationToken.None);

        Assert.Contains("invalid url", result.Reason, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = HandleAsync(context);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var path = request.Url!.AbsolutePath;
        _requests.Enqueue((request.HttpMethod, path, request.ContentType, request.Headers["Authorization"], body));
        var response = context.Response;
        try
        {
            if (path == "/slow")
            {
                await Task.Delay(TimeSpan.FromSeconds(10));
            }

            response.StatusCode = path.StartsWith("/status/", StringComparison.Ordinal) ? int.Parse(path[8..], System.Globalization.CultureInfo.InvariantCulture) : 200;
            if (response.StatusCode != 204)
            {
                var text = $"{{ \"ok\": {(response.StatusCode < 300 ? "true" : "false")}, \"path\": \"{path}\" }}";
                var bytes = Encoding.UTF8.GetBytes(text);
                response.ContentType = "application/json";
                await response.OutputStream.WriteAsync(bytes);
            }

            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            // The client went away (the cancellation test).
        }
    }
}
