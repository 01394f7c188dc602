using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Weft.Core.Dags;

namespace Weft.Cli;

/// <summary>The one JSON shape of CLI output: snake_case, indented, nulls kept so fields are always present.</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        // Output goes to terminals and pipes, not HTML: keep '>' and quotes in commands readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter<TaskType>(JsonNamingPolicy.SnakeCaseLower), new CliTimeConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Only the shapes generated at build time: a type missing from the context fails in every build, not only
        // in the native one.
        TypeInfoResolver = CliJsonContext.Default,
    };
}
