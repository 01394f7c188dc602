using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Weft.Engine.Json;
using Weft.Server.Api.Models;
using Weft.Server.Auth;
using Weft.Server.Events;

namespace Weft.Server.Api;

/// <summary>
/// <c>GET /api/v1/events/stream</c>: run and task state changes as server-sent events, the way to subscribe to a
/// DAG's or a run's lifecycle. Events: <c>ready</c> once listening, then <c>run</c> and <c>task</c> (data: a
/// <see cref="LifecycleEventResponse"/>), and <c>ping</c> every 15 s so a dead connection shows.
/// </summary>
internal static class EventStreamEndpoints
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/events/stream", Stream).RequireAuthorization(Roles.Viewer).WithTags("Monitoring").WithName("stream_events")
            .WithSummary("Run and task state changes as server-sent events, optionally of one DAG or run")
            .WithDescription("Events 'run' and 'task' carry a LifecycleEventResponse as JSON; 'ready' comes first, 'ping' every 15 s.")
            .Produces<LifecycleEventResponse>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    private static IResult Stream(
        [FromQuery(Name = "dag_id")] string? dagId, [FromQuery(Name = "run_id")] string? runId, EventHub hub, StoreChangePoller poller,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, HttpContext http)
    {
        if ((dagId is not null && !RouteIds.Id().IsMatch(dagId)) || (runId is not null && !RouteIds.RunId().IsMatch(runId)))
        {
            return Problems.BadRequest("dag_id and run_id must be identifiers");
        }

        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(ReadAsync(hub.Subscribe(dagId, runId), poller, json.Value.SerializerOptions, http.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<string>> ReadAsync(
        EventHub.Subscription subscription, StoreChangePoller poller, JsonSerializerOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var _ = subscription;
        await poller.EnsurePrimedAsync(cancellationToken);
        var info = options.TypeInfo<LifecycleEventResponse>();
        yield return new SseItem<string>("{}", "ready");
        while (!cancellationToken.IsCancellationRequested)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(KeepAlive);
            bool more;
            try
            {
                more = await subscription.Reader.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                more = true;
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            if (!more)
            {
                yield break;
            }

            var any = false;
            while (subscription.Reader.TryRead(out var change))
            {
                any = true;
                yield return new SseItem<string>(JsonSerializer.Serialize(change, info), change.Kind);
            }

            if (!any)
            {
                yield return new SseItem<string>("{}", "ping");
            }
        }
    }
}
