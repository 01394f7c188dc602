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

    /// <summary>Renders a field with each value as it is; <paramref name="forProcess"/> refuses NUL, which no process can receive.</summary>
    /// <exception cref="TaskSetupException">An expression cannot be resolved (an unknown secret) or its value cannot be passed.</exception>
    public string Render(string text, bool forProcess = false)
    {
        // Most fields hold no expression; skip the parse for them.
        return text.Contains("${{", StringComparison.Ordinal)
            ? Parse(text).Render(forProcess ? ProcessValue : Resolve)
            : text;
    }

    /// <summary>
    /// Renders a bash command in which every value is a reference to an environment variable, added to
    /// <paramref name="variables"/>; the value itself is never read as shell text.
    /// </summary>
    /// <exception cref="TaskSetupException">An expression cannot be resolved or stands where no value is safe.</exception>
    public string RenderShell(string text, IDictionary<string, string> variables)
    {
        if (!text.Contains("${{", StringComparison.Ordinal))
        {
            return text;
        }

        try
        {
            return Parse(text).RenderShell(ProcessValue, variables);
        }
        catch (FormatException e)
        {
            throw new TaskSetupException(e.Message);
        }
    }

    /// <summary>
    /// Renders a URL: a value in the path, query or fragment is percent-encoded, so it stays one segment or one
    /// query value; a value in the host part must be a host name, address or port.
    /// </summary>
    /// <exception cref="TaskSetupException">An expression cannot be resolved or its value cannot stand in the host part.</exception>
    public string RenderUrl(string text)
    {
        if (!text.Contains("${{", StringComparison.Ordinal))
        {
            return text;
        }

        var template = Parse(text);
        var sb = new System.Text.StringBuilder(text.Length + 32);
        for (var i = 0; i < template.References.Length; i++)
        {
            sb.Append(template.Literals[i]);
            var reference = template.References[i];
            var value = Resolve(reference);
            switch (UrlPlaces.Of(sb.ToString()))
            {
                case UrlPlace.Authority when UrlPlaces.IsHostText(value):
                    sb.Append(value);
                    break;
                case UrlPlace.Authority:
                    throw new TaskSetupException($"the value of '${{{{ {reference.Text} }}}}' stands in the url's host part but is not a host name, address or port");
                case UrlPlace.Rest:
                    sb.Append(Uri.EscapeDataString(value));
                    break;
                default:
                    throw new TaskSetupException($"'${{{{ {reference.Text} }}}}' {UrlPlaces.SchemeProblem}");
            }
        }

        sb.Append(template.Literals[^1]);
        return sb.ToString();
    }

    private static Template Parse(string text)
    {
        try
        {
            return Template.Parse(text);
        }
        catch (FormatException e)
        {
            throw new TaskSetupException($"invalid expression in '{text}': {e.Message}");
        }
    }

    /// <summary>A value that goes into a process's environment or arguments.</summary>
    private string ProcessValue(ExpressionReference reference)
    {
        var value = Resolve(reference);
        return value.Contains('\0', StringComparison.Ordinal)
            ? throw new TaskSetupException($"the value of '${{{{ {reference.Text} }}}}' holds a NUL character, which cannot be passed to a process")
            : value;
    }

    /// <summary>The value of one reference.</summary>
    /// <exception cref="TaskSetupException">The reference is unknown or names an unknown secret.</exception>
    public string Resolve(ExpressionReference reference)
    {
        var path = reference.Path;
        if (reference.Root == "tasks" && path.Length == 3 && path[1] == "outputs")
        {
            return Output(reference, path[0], path[2]);
        }

        switch (reference.Root)
        {
            case "params" when path.Length == 1:
                return context.Params.TryGetValue(path[0], out var value) ? ParamText(value) : string.Empty;
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

    /// <summary>
    /// An upstream output, navigated into when its value is JSON. A missing one is the fallback when the expression
    /// gives one; otherwise the attempt fails, naming the outputs that exist, rather than running with an empty value.
    /// </summary>
    private string Output(ExpressionReference reference, string taskId, string path)
    {
        var outputs = context.Outputs.TryGetValue(taskId, out var o) ? o : null;
        if (outputs is not null && JsonPath.TryResolve(outputs, path, out var value))
        {
            return value;
        }

        if (reference.Fallback is { } fallback)
        {
            return fallback;
        }

        var state = (context.States.TryGetValue(taskId, out var s) ? s : TaskState.None).ToName();
        var existing = outputs is null || outputs.Count == 0
            ? $"task '{taskId}' ({state}) set no outputs"
            : $"outputs of task '{taskId}': {string.Join(", ", outputs.Keys.Order(StringComparer.Ordinal))}";
        throw new TaskSetupException(
            $"'${{{{ {reference.Text} }}}}' names a missing output; {existing}. Give a fallback to allow it: ${{{{ {reference.Text} || 'none' }}}}");
    }

    /// <summary>A parameter as text: a JSON string is its content, anything else its JSON.</summary>
    public static string ParamText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static TaskSetupException Unknown(ExpressionReference reference) =>
        new($"unknown expression '${{{{ {reference.Text} }}}}'");
}
