using Weft.Core.Dags;

namespace Weft.Core.Definitions;

/// <summary>A task's type: as written (aliases included), or inferred from what it runs.</summary>
internal static class TaskTypes
{
    private static readonly string[] Names = ["shell", "script", "http", "noop", "bash", "python", "command", "sh"];

    public static TaskDefinition Resolve(TaskDefinition t, string? typeName, SourcePosition typePosition, FieldReader r, string where)
    {
        switch (typeName)
        {
            case null when t.Function is not null:
                return t with { Type = TaskType.Python };
            case "python" when t.Function is not null:
                return t with { Type = TaskType.Python };
            case null:
                return t with { Type = t.Command is not null ? TaskType.Shell : t.Url is not null ? TaskType.Http : t.Script is not null ? TaskType.Script : TaskType.Noop };
            case "shell" or "command" or "sh":
                return t with { Type = TaskType.Shell };
            case "bash" or "python":
                // Other orchestrators' bash and python operators: a command runs as shell, a file as a script.
                return t with { Type = t.Command is null && t.Script is not null ? TaskType.Script : TaskType.Shell };
            case "script":
                return t with { Type = TaskType.Script };
            case "http":
                if (t.Url is null && t.Command is not null)
                {
                    var positions = t.Positions.SetItem("url", t.PositionOf("command")).Remove("command");
                    return t with { Type = TaskType.Http, Url = t.Command, Command = null, Positions = positions };
                }

                return t with { Type = TaskType.Http };
            case "noop" or "dummy" or "empty":
                return t with { Type = TaskType.Noop };
            default:
                var hint = NameSuggester.Hint(typeName, Names);
                r.Error(typePosition, $"unknown task type '{typeName}' in {where}{(hint.Length > 0 ? hint : "; expected shell, script, http or noop (bash and python run 'command' as shell)")}");
                return t;
        }
    }
}
