using System.Net;
using System.Text;
using System.Text.Json;

namespace Weft.Cli.Commands;

/// <summary>
/// <c>weft logs RUN_ID TASK_ID --server URL --dag DAG</c>: an attempt's log read through a server's API, from a machine
/// that has no access to the database. With <c>--follow</c> nothing is polled: the lines arrive as the log's
/// server-sent events while they are written, and a task that has not started yet is waited for on the lifecycle event
/// stream (<c>GET /api/v1/events/stream</c>) until its next attempt starts.
/// </summary>
internal static class RemoteLogs
{
    public static async Task<int> RunAsync(
        CliContext context, Uri server, string token, string dagId, string runId, string taskId, int? attempt, bool follow, CancellationToken cancellationToken)
    {
        // No timeout: following a log lasts as long as the attempt.
        using var http = ServerApi.Client(server, token, Timeout.InfiniteTimeSpan);
        var taskPath = $"api/v1/dags/{E(dagId)}/dagRuns/{E(runId)}/taskInstances/{E(taskId)}";
        try
        {
            var chosen = attempt;
            if (chosen is null)
            {
                // Subscribed before the task is read, so a start between the two is not missed.
                using var events = follow ? await OpenAsync(http, $"api/v1/events/stream?dag_id={E(dagId)}&run_id={E(runId)}", cancellationToken).ConfigureAwait(false) : null;
                if (events is not null)
                {
                    await NextEventAsync(events, cancellationToken).ConfigureAwait(false); // "ready"
                }

                var (state, tries) = await TaskAsync(http, taskPath, cancellationToken).ConfigureAwait(false);
                chosen = tries;
                if (events is not null && state is "none" or "scheduled" or "queued" or "up_for_retry")
                {
                    context.WriteVerbose($"waiting for task '{taskId}' to start (now {state})");
                    chosen = await WaitForStartAsync(events, taskId, tries, cancellationToken).ConfigureAwait(false);
                }
            }

            if (chosen == 0)
            {
                context.WriteVerbose($"task '{taskId}' has not run");
                return ExitCodes.Success;
            }

            var logPath = $"{taskPath}/logs/{chosen}";
            if (!follow)
            {
                using var response = await SendAsync(http, logPath, cancellationToken).ConfigureAwait(false);
                context.Out.Write(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                return ExitCodes.Success;
            }

            using var lines = await OpenAsync(http, logPath + "?follow=true", cancellationToken).ConfigureAwait(false);
            while (await NextEventAsync(lines, cancellationToken).ConfigureAwait(false) is { } item)
            {
                if (item.Event == "end")
                {
                    context.WriteVerbose($"attempt {chosen} of task '{taskId}' ended: {item.Data}");
                    break;
                }

                if (item.Event != "message")
                {
                    continue;
                }

                context.Out.WriteLine(item.Data);
                context.Out.Flush();
            }

            return ExitCodes.Success;
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested && e.StatusCode is null)
        {
            throw ServerApi.Unreachable(server, e);
        }
    }

    private static string E(string value) => Uri.EscapeDataString(value);

    private static async Task<(string State, int Tries)> TaskAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(http, path, cancellationToken).ConfigureAwait(false);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        return (json.RootElement.GetProperty("state").GetString() ?? "none", json.RootElement.GetProperty("try_number").GetInt32());
    }

    /// <summary>
    /// Reads lifecycle events until the task's next attempt (after <paramref name="tries"/>) is running, and returns
    /// its number; or the last attempt when the task or its run ends without another (0: it never ran).
    /// </summary>
    private static async Task<int> WaitForStartAsync(EventReader events, string taskId, int tries, CancellationToken cancellationToken)
    {
        while (await NextEventAsync(events, cancellationToken).ConfigureAwait(false) is { } item)
        {
            if (item.Event is not ("task" or "run"))
            {
                continue;
            }

            using var json = JsonDocument.Parse(item.Data);
            var root = json.RootElement;
            var state = root.GetProperty("state").GetString();
            if (item.Event == "run")
            {
                if (state is "success" or "failed")
                {
                    return tries;
                }

                continue;
            }

            if (root.GetProperty("task_id").GetString() != taskId)
            {
                continue;
            }

            var tryNumber = root.TryGetProperty("try_number", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt32() : tries;
            if (state == "running" && tryNumber > tries)
            {
                return tryNumber;
            }

            if (state is "success" or "failed" or "skipped" or "upstream_failed")
            {
                return tryNumber;
            }
        }

        return tries;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, CancellationToken cancellationToken, bool stream = false)
    {
        var response = await http.GetAsync(path, stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var detail = TryDetail(body) ?? $"HTTP {(int)response.StatusCode}";
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new CliException(
                    ExitCodes.Failed, $"the server refused the token: {detail}", "give --token TOKEN or set WEFT_TOKEN (any role can read logs)"),
                HttpStatusCode.NotFound => new CliException(ExitCodes.Failed, detail, "check the run id, task id and --dag ('weft runs list' on a machine with the database)"),
                _ => new CliException(ExitCodes.Failed, $"the server answered {(int)response.StatusCode}: {detail}"),
            };
        }
    }

    private static string? TryDetail(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : json.RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<EventReader> OpenAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        var response = await SendAsync(http, path, cancellationToken, stream: true).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return new EventReader(response, new StreamReader(body, Encoding.UTF8));
    }

    /// <summary>The next server-sent event (its <c>event:</c> name, "message" when none, and its data lines joined), or null at the end.</summary>
    private static async Task<(string Event, string Data)?> NextEventAsync(EventReader events, CancellationToken cancellationToken)
    {
        string? name = null;
        StringBuilder? data = null;
        while (await events.Reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    return (name ?? "message", data.ToString());
                }

                name = null;
                continue;
            }

            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line[6..].TrimStart();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                var value = line[5..];
                value = value.StartsWith(' ') ? value[1..] : value;
                data = data is null ? new StringBuilder(value) : data.Append('\n').Append(value);
            }
        }

        return data is null ? null : (name ?? "message", data.ToString());
    }

    private sealed class EventReader(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        public StreamReader Reader { get; } = reader;

        public void Dispose()
        {
            Reader.Dispose();
            response.Dispose();
        }
    }
}
