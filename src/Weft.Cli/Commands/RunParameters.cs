using System.Collections.Immutable;
using System.Text.Json;
using Weft.Core.Definitions;

namespace Weft.Cli.Commands;

/// <summary>Reads run parameters from <c>--params JSON|@FILE|FILE</c> and repeated <c>--param K=V</c>.</summary>
internal static class RunParameters
{
    /// <summary>Merges the parameters; a <c>--param</c> overrides the same key from <c>--params</c>.</summary>
    public static ImmutableDictionary<string, JsonElement> Parse(string? json, IEnumerable<string> pairs)
    {
        var result = ImmutableDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(json))
        {
            foreach (var property in ParseObject(json).EnumerateObject())
            {
                result[property.Name] = property.Value.Clone();
            }
        }

        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw CliException.Usage($"--param '{pair}' is not KEY=VALUE", "for example: --param date=2024-01-01");
            }

            // A value given as K=V is always a string, as in Airflow's `-c`/conf; use --params for typed values.
            result[pair[..equals]] = JsonValues.Build(w => w.WriteStringValue(pair[(equals + 1)..]));
        }

        return result.ToImmutable();
    }

    /// <summary>The DAG's defaults with the given parameters on top, sorted by name for display.</summary>
    public static SortedDictionary<string, JsonElement> Merge(IReadOnlyDictionary<string, JsonElement> defaults, IReadOnlyDictionary<string, JsonElement> conf)
    {
        var merged = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in defaults)
        {
            merged[key] = value;
        }

        foreach (var (key, value) in conf)
        {
            merged[key] = value;
        }

        return merged;
    }

    private static JsonElement ParseObject(string json)
    {
        var source = "--params";
        if (json.StartsWith('@'))
        {
            var path = json[1..];
            if (!File.Exists(path))
            {
                throw CliException.Usage($"no such file or folder '{path}'", "--params @FILE reads a JSON object from FILE");
            }

            source = path;
            json = File.ReadAllText(path);
        }
        else if (!json.TrimStart().StartsWith('{') && File.Exists(json))
        {
            // `--params p.json`, as Featherflow and Airflow users write it: an existing file is read like @FILE.
            source = json;
            json = File.ReadAllText(json);
        }

        JsonElement element;
        try
        {
            using var document = JsonDocument.Parse(json);
            element = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw CliException.Usage($"{source}: not valid JSON: {e.Message}", "--params takes a JSON object, e.g. --params '{\"date\": \"2024-01-01\"}'");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw CliException.Usage($"{source}: expected a JSON object of parameters, found {element.ValueKind.ToString().ToLowerInvariant()}");
        }

        return Weft.Server.Api.JsonUtf16.FindInvalid(element, source) is { } invalid
            ? throw CliException.Usage(Weft.Server.Api.JsonUtf16.Message(invalid))
            : element;
    }
}
