using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Weft.Core.Dags;
using Weft.Engine.Logs;
using Weft.Engine.Runners.Expressions;

namespace Weft.Engine.Runners.Http;

/// <summary>
/// <c>type: http</c>: one request with the rendered url, headers and body. Outputs <c>status</c>, <c>body</c>, and
/// <c>json</c> (the body as compact JSON) when the body is JSON. Fails on a status outside <c>expect_status</c>
/// (any 2xx when empty) or when the request cannot be made.
/// </summary>
internal sealed class HttpTaskRunner : ITaskRunner
{
    // Without a task timeout a request still must not hang an attempt forever.
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);
    // Outputs are stored with the run; a larger body is cut there (and logged as cut).
    private const int MaxBodyChars = 1024 * 1024;

    // One client for the process: connections are pooled across tasks, and recycled so DNS changes are seen.
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(30),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        AutomaticDecompression = DecompressionMethods.All,
    })
    {
        // Time is limited per attempt through the cancellation token instead.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <inheritdoc />
    public TaskType Type => TaskType.Http;

    /// <inheritdoc />
    public async Task<TaskResult> RunAsync(TaskExecutionContext context, CancellationToken cancellationToken)
    {
        var task = context.Task;
        if (string.IsNullOrWhiteSpace(task.Url))
        {
            return TaskResult.Failed("the http task has no url");
        }

        HttpRequestMessage request;
        ITaskLog log;
        try
        {
            var scope = new ExpressionScope(context);
            request = BuildRequest(task, scope);
            log = MaskingTaskLog.Wrap(context.Log, scope.SecretValues);
        }
        catch (TaskSetupException e)
        {
            return TaskResult.Failed(e.Message);
        }

        using (request)
        using (var timeout = task.Timeout is null ? new CancellationTokenSource(DefaultTimeout) : null)
        using (var linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            var token = linked?.Token ?? cancellationToken;
            log.WriteLine("weft", $"> {request.Method} {request.RequestUri}");
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
                var body = await response.Content.ReadAsStringAsync(token);
                var status = (int)response.StatusCode;
                log.WriteLine("weft", $"< {status} {response.ReasonPhrase} ({Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms, {body.Length} chars)");
                return Result(task, status, body, log);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return TaskResult.Failed("cancelled");
            }
            catch (OperationCanceledException) when (timeout?.IsCancellationRequested == true)
            {
                log.WriteLine("weft", $"no response within {DefaultTimeout.TotalMinutes:0} minutes");
                return TaskResult.Failed($"no response within {DefaultTimeout.TotalMinutes:0} minutes (the default for http tasks without a timeout)");
            }
            catch (HttpRequestException e)
            {
                log.WriteLine("weft", $"request failed: {e.Message}");
                return TaskResult.Failed($"HTTP request failed: {e.Message}");
            }
        }
    }

    private static HttpRequestMessage BuildRequest(TaskDefinition task, ExpressionScope scope)
    {
        var url = scope.RenderUrl(task.Url!);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new TaskSetupException($"invalid url '{url}': expected an absolute http or https URL");
        }

        var request = new HttpRequestMessage(new HttpMethod(task.Method.ToUpperInvariant()), uri);
        if (HttpBodyRenderer.Render(task.Body, scope) is var (text, mediaType))
        {
            request.Content = new StringContent(text, Encoding.UTF8, mediaType);
        }

        foreach (var (name, template) in task.Headers)
        {
            var value = scope.Render(template);
            if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                // A line break would end the header and start another one (or the body).
                throw new TaskSetupException($"the header '{name}' holds a line break or NUL after substitution");
            }

            // Content headers (Content-Type …) live on the content, not the request.
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    private static TaskResult Result(TaskDefinition task, int status, string body, ITaskLog log)
    {
        if (body.Length > MaxBodyChars)
        {
            log.WriteLine("weft", $"the body output keeps the first {MaxBodyChars} of {body.Length} characters");
            body = body[..MaxBodyChars];
        }

        var outputs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["body"] = body,
        };
        if (CompactJson(body) is { } json)
        {
            outputs["json"] = json;
        }

        var expected = task.ExpectStatus.IsEmpty ? status is >= 200 and < 300 : task.ExpectStatus.Contains(status);
        if (!expected)
        {
            var wanted = task.ExpectStatus.IsEmpty ? "2xx" : string.Join(", ", task.ExpectStatus);
            return TaskResult.Failed($"HTTP status {status} (expected {wanted})", null, outputs);
        }

        return TaskResult.Succeeded(outputs);
    }

    private static string? CompactJson(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                document.RootElement.WriteTo(writer);
            }

            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
