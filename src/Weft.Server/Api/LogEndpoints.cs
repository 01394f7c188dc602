using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Weft.Core.Runs;
using Weft.Engine.Logs;
using Weft.Engine.Secrets;
using Weft.Engine.Storage;
using Weft.Server.Auth;
using Weft.Server.Hosting;

namespace Weft.Server.Api;

/// <summary>
/// <c>…/taskInstances/{task_id}/logs/{try_number}</c>: an attempt's log as text, or with <c>follow=true</c> as
/// server-sent events (one <c>message</c> per line, then an <c>end</c> event with the attempt's state).
/// Secret values are masked again on the way out.
/// </summary>
internal static class LogEndpoints
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/logs/{try_number:int}", GetAsync)
            .RequireAuthorization(Roles.Viewer).WithTags("Task instances").WithName("get_log")
            .WithSummary("An attempt's log: text, or server-sent events with follow=true")
            .Produces<string>(StatusCodes.Status200OK, "text/plain", "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> GetAsync(
        [FromRoute(Name = "dag_id")] string dagId, [FromRoute(Name = "run_id")] string runId, [FromRoute(Name = "task_id")] string taskId,
        [FromRoute(Name = "try_number")] int tryNumber, bool? follow, IStateStore store, ServerEnvironment environment, ServerSecrets secrets,
        HttpContext http, CancellationToken cancellationToken)
    {
        var snapshot = await store.GetRunAsync(dagId, runId, cancellationToken);
        var task = snapshot?.Tasks.FirstOrDefault(t => t.TaskId == taskId);
        if (task is null)
        {
            return Problems.NotFound($"no task instance '{taskId}' in run '{runId}' of DAG '{dagId}'");
        }

        if (tryNumber < 1 || tryNumber > task.TryNumber)
        {
            return Problems.NotFound($"task '{taskId}' has no try {tryNumber} (tries so far: {task.TryNumber})");
        }

        var path = PathOf(environment.Home, dagId, runId, taskId, tryNumber);
        if (path is null)
        {
            return Problems.NotFound("no such log");
        }

        var masker = await secrets.MaskerAsync(cancellationToken);
        if (follow != true)
        {
            var text = new StringBuilder();
            await foreach (var line in TaskLogReader.ReadAsync(path, new StoredAttemptLog(store, dagId, runId, taskId, tryNumber), cancellationToken))
            {
                text.Append(masker.Mask(line)).Append('\n');
            }

            return TypedResults.Text(text.ToString(), "text/plain; charset=utf-8");
        }

        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(FollowAsync(store, path, dagId, runId, taskId, tryNumber, masker, http.RequestAborted));
    }

    /// <summary>The log file's path, or null when it would not lie under the home's logs folder.</summary>
    internal static string? PathOf(string home, string dagId, string runId, string taskId, int tryNumber)
    {
        var root = Path.GetFullPath(Path.Combine(home, "logs")) + Path.DirectorySeparatorChar;
        var path = Path.GetFullPath(TaskLogPaths.For(home, dagId, runId, taskId, tryNumber));
        return path.StartsWith(root, StringComparison.Ordinal) ? path : null;
    }

    private static async IAsyncEnumerable<SseItem<string>> FollowAsync(
        IStateStore store, string path, string dagId, string runId, string taskId, int tryNumber, SecretMasker masker,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The attempt may run in another process: its end is read from the store, not from a signal.
        var finished = false;
        var finalState = "running";
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = Task.Run(async () =>
        {
            while (!watch.Token.IsCancellationRequested)
            {
                var attempts = await store.GetAttemptsAsync(dagId, runId, taskId, watch.Token);
                var attempt = attempts.LastOrDefault(a => a.TryNumber == tryNumber);
                if (attempt is null || attempt.EndDate is not null || attempt.State != TaskState.Running)
                {
                    finalState = attempt?.State.ToName() ?? "none";
                    Volatile.Write(ref finished, true);
                    return;
                }

                await Task.Delay(Poll, watch.Token);
            }
        }, CancellationToken.None);

        try
        {
            await foreach (var line in TaskLogReader.FollowAsync(path, new StoredAttemptLog(store, dagId, runId, taskId, tryNumber), () => Volatile.Read(ref finished) || watcher.IsFaulted, Poll, cancellationToken))
            {
                yield return new SseItem<string>(masker.Mask(line));
            }

            yield return new SseItem<string>(finalState, "end");
        }
        finally
        {
            await watch.CancelAsync();
            await watcher.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
