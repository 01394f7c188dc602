using System.Globalization;
using Microsoft.AspNetCore.Http;
using Weft.Server.Api;

namespace Weft.Server.Auth;

/// <summary>Refuses requests with credentials from an address that failed authentication too often (429).</summary>
internal sealed class AuthFailureMiddleware(RequestDelegate next, AuthFailureLimiter limiter)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.Count > 0 && limiter.IsBlocked(context.Connection.RemoteIpAddress, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many failed authentications",
                "this address sent too many invalid tokens in the last minute; wait and try again");
        }

        return next(context);
    }
}
