using System.Globalization;
using System.Text.Json;
using Weft.Core.Runs;
using Weft.Core.Templating;

namespace Weft.Engine.Runners.Expressions;

/// <summary>
/// Resolves <c>${{ … }}</c> references for one attempt and renders the task's fields with them.
/// Remembers the secret values it handed out so the attempt's log can mask them.
/// </summary>
internal sealed class ExpressionScope(TaskExecutionContext context)
{
    private List<string>? _secretValues;

    /// <summary>The secret values resolved so far (for masking).</summary>
    public IReadOnlyList<string> SecretValues => _secretValues ?? (IReadOnlyList<string>)[];

    /// <summary>Renders a field; with <paramref name="shellQuote"/> each value becomes one shell word.</summary>
    /// <exception cref="TaskSetupException">An expression cannot be resolved (an unknown secret).</exception>
    public string Render(string text, bool shellQuote = false)
    {
        // Most fields hold no expression; skip the parse for them.
        if (!text.Contains("${{", StringComparison.Ordinal))
        {
            return text;
        }

        Template template;
        try
        {
            template = Template.Parse(text);
        }
        catch (FormatException e)
        {
            throw new TaskSetupException($"invalid expression in '{text}': {e.Message}");
        }

        return template.Render(Resolve, shellQuote);
    }

    /// <summary>The value of one reference.</summary>
    /// <exception cref="TaskSetupException">The reference is unknown or names an unknown secret.</exception>
    public string Resolve(ExpressionReference reference)
    {
        var path = reference.Path;
        switch (reference.Root)
        {
            case "params" when path.Length == 1:
                return context.Params.TryGetValue(path[0], out var value) ? ParamText(value) : string.Empty;
            case "tasks" when path.Length == 3 && path[1] == "outputs":
                return context.Outputs.TryGetValue(path[0], out var outputs) && outputs.TryGetValue(path[2], out var output)
                    ? output
                    : string.Empty;
            case "tasks" when path.Length == 2 && path[1] == "state":
                return (context.States.TryGetValue(path[0], out var state) ? state : TaskState.None).ToName();
            case "run" when path.Length == 1:
                return path[0] switch
                {
                    "id" => context.RunId,
                    "logical_date" => InstantText.Format(context.LogicalDate),
                    "data_interval_start" => InstantText.Format(context.DataIntervalStart),
                    "data_interval_end" => InstantText.Format(context.DataIntervalEnd),
                    _ => throw Unknown(reference),
                };
            case "dag" when path.Length == 1 && path[0] == "id":
                return context.Dag.Id;
            case "task" when path.Length == 1 && path[0] == "id":
                return context.Task.Id;
            case "task" when path.Length == 1 && path[0] == "attempt":
                return context.Attempt.ToString(CultureInfo.InvariantCulture);
            case "secrets" when path.Length == 1:
                var secret = context.Secrets(path[0])
                    ?? throw new TaskSetupException($"unknown secret '{path[0]}' in '${{{{ {reference.Text} }}}}'; set it with 'weft secrets set {path[0]}'");
                (_secretValues ??= []).Add(secret);
                return secret;
            default:
                throw Unknown(reference);
        }
    }

    /// <summary>A parameter as text: a JSON string is its content, anything else its JSON.</summary>
    public static string ParamText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static TaskSetupException Unknown(ExpressionReference reference) =>
        new($"unknown expression '${{{{ {reference.Text} }}}}'");
}
