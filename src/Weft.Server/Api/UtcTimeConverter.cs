using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Weft.Engine.Json;

namespace Weft.Server.Api;

/// <summary>Times as the run JSON writes them: ISO-8601 UTC with milliseconds and a <c>Z</c>.</summary>
internal sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is null || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            throw new JsonException("expected an ISO-8601 date-time");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(RunJson.Time(value));
}
