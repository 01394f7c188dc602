using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Weft.Core.Runs;

namespace Weft.Server.Tests;

/// <summary>The server on a real Kestrel at 127.0.0.1 and a random free port.</summary>
public sealed partial class KestrelEndToEndTests
{
    [Fact]
    public async Task FirstStart_PrintsLoginUrl_ThenTriggerReadLog_BigBodyRefused_ServerStaysUp()
    {
        await using var server = await ServerHarness.StartAsync(new() { ["Server:Urls"] = "http://127.0.0.1:0" }, testServer: false);
        var address = new Uri(server.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        Assert.Equal("127.0.0.1", address.Host);

        var printed = LoginUrl().Match(server.Console.ToString());
        Assert.True(printed.Success, server.Console.ToString());
        Assert.Equal(address.Port, int.Parse(printed.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture));
        using var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", printed.Groups["token"].Value);

        using var trigger = await http.PostAsJsonAsync("/api/v1/dags/hello/dagRuns", new { conf = new { who = "kestrel" } });
        Assert.Equal(HttpStatusCode.Created, trigger.StatusCode);
        Assert.NotNull(trigger.Headers.Location);
        var runId = JsonDocument.Parse(await trigger.Content.ReadAsStringAsync()).RootElement.GetProperty("run_id").GetString()!;
        await server.WaitForRunAsync("hello", runId, "success");
        var log = await http.GetStringAsync($"/api/v1/dags/hello/dagRuns/{Uri.EscapeDataString(runId)}/taskInstances/greet/logs/1");
        Assert.Contains("hello kestrel", log, StringComparison.Ordinal);

        // 20 MB announced: the answer is 413 problem details as soon as the headers arrive, before the body is sent.
        var (status, body) = await RawAsync(address,
            $"POST /api/v1/dags/hello/dagRuns HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {printed.Groups["token"].Value}\r\n"
            + $"Content-Type: application/json\r\nContent-Length: {20 * 1024 * 1024}\r\n\r\n{new string('x', 65536)}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("application/problem+json", body, StringComparison.Ordinal);

        // 20 MB chunked: Kestrel stops reading at the limit; refused, never accepted.
        var json = Encoding.UTF8.GetBytes("{\"conf\": {\"who\": \"" + new string('x', 20 * 1024 * 1024) + "\"}}");
        using (var chunked = new StreamContent(new MemoryStream(json)))
        {
            chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/dags/hello/dagRuns") { Content = chunked };
            request.Headers.TransferEncodingChunked = true;
            try
            {
                using var response = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            }
            catch (HttpRequestException)
            {
                // Kestrel may close the connection before the client finishes sending: refused too.
            }
        }

        using var health = await new HttpClient { BaseAddress = address }.GetAsync("/api/v1/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        // A NUL in the path never reaches the application.
        Assert.Equal(HttpStatusCode.BadRequest, await RawStatusAsync(address, "/api/v1/dags/hello%00/source", printed.Groups["token"].Value));
        Assert.Equal(HttpStatusCode.BadRequest, await RawStatusAsync(address, "/api/v1/dags/..%2F..%2Fetc%2Fpasswd/source", printed.Groups["token"].Value));
    }

    [Fact]
    public async Task Shutdown_LetsRunningAttemptsFinishWithinTheGracePeriod()
    {
        var server = await ServerHarness.StartAsync(new() { ["Server:ShutdownGracePeriod"] = "00:00:10" });
        var runId = await server.TriggerAsync("slow");
        await server.WaitForRunAsync("slow", runId, "running");
        await server.App.StopAsync();

        var run = (await server.Store.GetRunAsync("slow", runId, CancellationToken.None))!;
        Assert.Equal(RunState.Success, run.Run.State);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Shutdown_AfterTheGracePeriod_FailsAttempts_NeverLeavesThemRunning()
    {
        var server = await ServerHarness.StartAsync(new() { ["Server:ShutdownGracePeriod"] = "00:00:00.200" });
        var runId = await server.TriggerAsync("slow");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await server.Store.GetRunAsync("slow", runId, CancellationToken.None))!.Tasks[0].State != TaskState.Running)
        {
            Assert.True(DateTime.UtcNow < deadline);
            await Task.Delay(20);
        }

        await server.App.StopAsync();
        var task = (await server.Store.GetRunAsync("slow", runId, CancellationToken.None))!.Tasks[0];
        Assert.Equal(TaskState.Failed, task.State);
        var attempts = await server.Store.GetAttemptsAsync("slow", runId, "lines", CancellationToken.None);
        Assert.All(attempts, a => Assert.NotNull(a.EndDate));
        await server.DisposeAsync();
    }

    private static async Task<HttpStatusCode> RawStatusAsync(Uri address, string path, string token)
    {
        var (status, rest) = await RawAsync(address, $"GET {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n");
        Assert.DoesNotContain("root:", rest, StringComparison.Ordinal);
        return status;
    }

    private static async Task<(HttpStatusCode Status, string Text)> RawAsync(Uri address, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream);
        var status = await reader.ReadLineAsync();
        var rest = new StringBuilder();
        try
        {
            string? line;
            while ((line = await reader.ReadLineAsync()) is not null)
            {
                rest.AppendLine(line);
            }
        }
        catch (IOException)
        {
            // The server closed the connection (after refusing a body); what was read is enough.
        }

        return ((HttpStatusCode)int.Parse(status!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), rest.ToString());
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:(?<port>\d+)/#token=(?<token>weft_[A-Za-z0-9_-]+)")]
    private static partial Regex LoginUrl();
}
