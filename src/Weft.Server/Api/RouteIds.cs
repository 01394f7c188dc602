using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Weft.Server.Api;

/// <summary>
/// Checks every identifier in a route before any handler runs, so no database query or file path is ever built
/// from a value like <c>../../etc/passwd</c>. Ids follow the contract; run ids also allow <c>:</c> and <c>+</c>.
/// </summary>
internal static partial class RouteIds
{
    /// <summary>DAG, task, pool, token and secret names.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,249}$", RegexOptions.CultureInvariant)]
    public static partial Regex Id();

    /// <summary>Run ids: <c>manual__2026-11-22T10:00:00.000Z</c>, <c>scheduled__…+01:00</c>.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.:+-]{0,249}$", RegexOptions.CultureInvariant)]
    public static partial Regex RunId();

    /// <summary>True when the value is valid for the route parameter <paramref name="name"/>.</summary>
    public static bool IsValid(string name, string? value) =>
        value is not null && (name == "run_id" ? RunId().IsMatch(value) : Id().IsMatch(value));

    /// <summary>Refuses the request with 400 when a route value is not a valid identifier.</summary>
    public static ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        foreach (var (name, value) in context.HttpContext.Request.RouteValues)
        {
            if (name is "dag_id" or "run_id" or "task_id" or "pool_name" or "name" && !IsValid(name, value as string))
            {
                return ValueTask.FromResult<object?>(Problems.BadRequest($"'{name}' is not a valid identifier"));
            }
        }

        return next(context);
    }
}
