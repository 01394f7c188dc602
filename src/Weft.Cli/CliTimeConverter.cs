using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Weft.Core.Scheduling;

namespace Weft.Cli;

/// <summary>Times in CLI JSON as the run JSON writes them: ISO-8601 UTC with milliseconds and a <c>Z</c>.</summary>
internal sealed class CliTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(RunIds.Format(value));
}
