using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Weft.Engine.Json;

internal static class JsonTypeInfos
{
    /// <summary>
    /// The serialization code <paramref name="options"/> resolve for <typeparamref name="T"/>: generated at build time,
    /// so writing with it needs no reflection.
    /// </summary>
    public static JsonTypeInfo<T> TypeInfo<T>(this JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
