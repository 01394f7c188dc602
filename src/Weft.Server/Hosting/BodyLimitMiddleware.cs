using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Weft.Server.Api;

namespace Weft.Server.Hosting;

/// <summary>
/// Refuses a body over the limit with 413 before anything reads it: at once when <c>Content-Length</c> says so,
/// and for a chunked body through the server's own limit (Kestrel stops reading at it).
/// </summary>
internal sealed class BodyLimitMiddleware(RequestDelegate next, IOptions<ServerOptions> options)
{
    private readonly long _limit = options.Value.MaxRequestBodyBytes;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > _limit)
        {
            // The rest of the body is not read; the server closes the connection after the answer.
            context.Response.Headers.Connection = "close";
            return Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                $"the request body may have at most {_limit} bytes");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = _limit;
        }

        return next(context);
    }
}
