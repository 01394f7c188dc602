using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Weft.Core.Dags;
using Weft.Core.Definitions;

namespace Weft.Engine.Operations;

/// <summary>
/// The DAG's parameter checks, applied to every run an operator starts (<c>weft run</c>, <c>weft dags trigger</c>,
/// the API's trigger), with one set of messages: every key must be a parameter of the DAG (Airflow's strict params),
/// and a value must have the JSON type of the parameter's default.
/// </summary>
internal static class RunParams
{
    /// <summary>
    /// The checked values, ready to lay over the DAG's defaults. The command line gives every <c>--param</c> value as
    /// text, so a string that reads as the default's type (<c>"6"</c> for a number, <c>"true"</c> for a boolean) is
    /// taken as that type, from any front end alike. A parameter whose default is null takes any value.
    /// </summary>
    /// <exception cref="OperationException">An unknown key or a value of the wrong type (<see cref="OperationError.Invalid"/>).</exception>
    public static ImmutableDictionary<string, JsonElement> Check(DagDefinition dag, IReadOnlyDictionary<string, JsonElement>? conf)
    {
        var result = ImmutableDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in conf ?? ImmutableDictionary<string, JsonElement>.Empty)
        {
            if (!dag.Params.TryGetValue(name, out var fallback))
            {
                var known = dag.Params.IsEmpty ? "the DAG has no params" : "known params: " + string.Join(", ", dag.Params.Keys.Order(StringComparer.Ordinal));
                throw OperationException.Invalid($"unknown param '{name}' for DAG '{dag.Id}'; {known}");
            }

            result[name] = Conform(dag.Id, name, fallback, value);
        }

        return result.ToImmutable();
    }

    private static JsonElement Conform(string dagId, string name, JsonElement fallback, JsonElement value)
    {
        var wanted = Kind(fallback.ValueKind);
        if (wanted is null || Kind(value.ValueKind) == wanted)
        {
            return value.Clone();
        }

        if (value.ValueKind == JsonValueKind.String && value.GetString() is { } text)
        {
            if (wanted == "number" && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return JsonValues.Build(w => w.WriteNumberValue(number));
            }

            if (wanted == "boolean" && bool.TryParse(text, out var flag))
            {
                return JsonValues.Build(w => w.WriteBooleanValue(flag));
            }
        }

        throw OperationException.Invalid(
            $"param '{name}' of DAG '{dagId}' must be a {wanted} (like its default {fallback.GetRawText()}), not {Describe(value)}");
    }

    // The JSON type a value has, as a person names it; null for null, which fits any parameter's default.
    private static string? Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "list",
        JsonValueKind.Object => "object",
        _ => null,
    };

    private static string Describe(JsonElement value)
    {
        var text = value.GetRawText();
        return Kind(value.ValueKind) is { } kind ? $"{kind} {(text.Length > 40 ? text[..40] + "…" : text)}" : "null";
    }
}
