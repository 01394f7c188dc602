using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Weft.Engine.Json;

namespace Weft.Server.Api;

/// <summary>
/// A 200 answer whose JSON was serialized earlier and is reused: what <c>TypedResults.Ok(value)</c> would write for a
/// <typeparamref name="T"/>, and described the same way in the OpenAPI document.
/// </summary>
internal sealed class JsonBytes<T>(ReadOnlyMemory<byte> utf8) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    private const string ContentType = "application/json; charset=utf-8";

    /// <summary>The JSON text, UTF-8.</summary>
    public ReadOnlyMemory<byte> Utf8 => utf8;

    /// <inheritdoc />
    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    /// <summary>Serializes <paramref name="value"/> with the API's JSON settings.</summary>
    public static JsonBytes<T> From(T value, JsonSerializerOptions options) =>
        new(JsonSerializer.SerializeToUtf8Bytes(value, options.TypeInfo<T>()));

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = ContentType;
        response.ContentLength = utf8.Length;
        return response.BodyWriter.WriteAsync(utf8, httpContext.RequestAborted).AsTask();
    }

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}
