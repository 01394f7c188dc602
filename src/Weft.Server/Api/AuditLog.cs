using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Weft.Engine.Storage;

namespace Weft.Server.Api;

/// <summary>Records operator and admin actions as events, with the token's name.</summary>
internal sealed class AuditLog(IStateStore store, TimeProvider time)
{
    public Task WriteAsync(HttpContext http, string kind, string? dagId, string? runId, string? taskId, string message, CancellationToken cancellationToken)
    {
        var batch = new StateBatch();
        batch.Events.Add(Event(http, kind, dagId, runId, taskId, message));
        return store.CommitAsync(batch, cancellationToken);
    }

    /// <summary>Who is asking, as operator events name them: the token's name.</summary>
    public static string Actor(HttpContext http) => $"token '{http.User.FindFirstValue(ClaimTypes.Name) ?? "anonymous"}'";

    /// <summary>An event for a batch that also carries the change.</summary>
    public EventRecord Event(HttpContext http, string kind, string? dagId, string? runId, string? taskId, string message)
    {
        var who = http.User.FindFirstValue(ClaimTypes.Name) ?? "anonymous";
        return new EventRecord(0, time.GetUtcNow(), kind, dagId, runId, taskId, $"{message} (by token '{who}')");
    }
}
