using System.Collections.Immutable;
using Weft.Core.Dags;

namespace Weft.Core.Definitions;

/// <summary>A task as read so far: its fields, and its <c>type</c> as written (resolved once defaults are merged in).</summary>
internal sealed record TaskDraft(TaskDefinition Task, string? TypeName, SourcePosition TypePosition);

/// <summary>Maps task mappings (and the <c>defaults</c> mapping) onto <see cref="TaskDefinition"/>.</summary>
internal static class TaskMapper
{
    private static readonly string[] NotDefaultable = ["id", "name", "depends_on"];

    public static TaskDraft MapDefaults(SourceNode node, FieldReader r)
    {
        var empty = new TaskDraft(new TaskDefinition { Id = string.Empty }, null, SourcePosition.None);
        if (node is ScalarNode { IsNull: true })
        {
            return empty;
        }

        if (node is not MapNode map)
        {
            r.Error(node.Position, $"expected a mapping of task fields for 'defaults', found {node.Describe()}");
            return empty;
        }

        var fields = r.Fields(map, "'defaults'", FieldNames.Task, FieldNames.TaskSet, FieldNames.TaskAliases);
        foreach (var name in NotDefaultable)
        {
            if (fields.Remove(name, out var f))
            {
                r.Error(f.Key.Position, $"'{f.Key.Value}' cannot be set in 'defaults'; it belongs to each task");
            }
        }

        return Apply(empty, fields, r, "'defaults'");
    }

    /// <summary>One task; <paramref name="keyId"/> is its id when tasks are written as a mapping of id to task.</summary>
    public static TaskDefinition? Map(SourceNode node, TaskDraft defaults, FieldReader r, ScalarNode? keyId, int index)
    {
        if (node is ScalarNode { IsNull: true } && keyId is not null)
        {
            node = new MapNode(keyId.Position);
        }

        if (node is not MapNode map)
        {
            r.Error(node.Position, $"expected a task (a mapping with 'id' and what it runs), found {node.Describe()}");
            return null;
        }

        var written = map.Entries.FirstOrDefault(e => e.Key.Value == "id").Value ?? map.Entries.FirstOrDefault(e => e.Key.Value == "name").Value;
        var where = written is ScalarNode { IsNull: false } w ? $"task '{w.Value}'" : keyId is not null ? $"task '{keyId.Value}'" : $"task #{index + 1}";
        var fields = r.Fields(map, where, FieldNames.Task, FieldNames.TaskSet, FieldNames.TaskAliases);

        SourceNode? idNode = fields.TryGetValue("id", out var idField) ? idField.Value
            : fields.TryGetValue("name", out var nameField) ? nameField.Value
            : keyId;
        var id = string.Empty;
        if (idNode is null)
        {
            r.Error(map.Position, $"{where} has no 'id'; every task needs a unique id");
        }
        else if (r.TryString(idNode, "id", out var text))
        {
            id = text;
        }

        var draft = Apply(defaults with { Task = defaults.Task with { Id = id } }, fields, r, where);
        var task = draft.Task;
        var positions = task.Positions.ToBuilder();
        positions["id"] = idNode?.Position ?? map.Position;
        if (fields.TryGetValue("depends_on", out var deps))
        {
            positions["depends_on"] = deps.Value.Position;
            task = task with { DependsOn = r.StringList(deps.Value, "depends_on", positions) };
        }

        task = task with { Positions = positions.ToImmutable() };
        return TaskTypes.Resolve(task, draft.TypeName, draft.TypePosition, r, where);
    }

    private static TaskDraft Apply(TaskDraft start, Dictionary<string, Field> fields, FieldReader r, string where)
    {
        var t = start.Task;
        var typeName = start.TypeName;
        var typePosition = start.TypePosition;
        var p = t.Positions.ToBuilder();
        foreach (var (name, (_, v)) in fields)
        {
            // A null leaves the field at its default (or the value from 'defaults').
            if (v is ScalarNode { IsNull: true } && name is not ("body" or "timeout" or "sla" or "id" or "name"))
            {
                continue;
            }

            if (name is not ("args" or "env" or "headers"))
            {
                r.Track(p, name, v);
            }

            switch (name)
            {
                case "type" when r.TryString(v, name, out var s):
                    typeName = s.Trim().ToLowerInvariant();
                    typePosition = v.Position;
                    break;
                case "command" when r.TryString(v, name, out var s):
                    t = t with { Command = s };
                    break;
                case "script" when r.TryString(v, name, out var s):
                    t = t with { Script = s };
                    break;
                case "url" when r.TryString(v, name, out var s):
                    t = t with { Url = s };
                    break;
                case "method" when r.TryString(v, name, out var s):
                    t = t with { Method = s.Trim().ToUpperInvariant() };
                    break;
                case "working_dir" when r.TryString(v, name, out var s):
                    t = t with { WorkingDir = s };
                    break;
                case "pool" when r.TryString(v, name, out var s):
                    t = t with { Pool = s };
                    break;
                case "queue" when r.TryString(v, name, out var s):
                    t = t with { Queue = s };
                    break;
                case "args":
                    p.RemoveRange(p.Keys.Where(k => k.StartsWith("args", StringComparison.Ordinal)).ToList());
                    p["args"] = v.Position;
                    t = t with { Args = TaskArgs.Read(v, r, p), Kwargs = TaskArgs.Keywords(v) };
                    break;
                case "function" when r.TryString(v, name, out var s):
                    t = t with { Function = s.Trim() };
                    break;
                case "python_path":
                    t = t with { PythonPath = r.StringList(v, name, p) };
                    break;
                case "env":
                    p["env"] = v.Position;
                    t = t with { Env = r.StringMap(v, name, p) };
                    break;
                case "headers":
                    p["headers"] = v.Position;
                    t = t with { Headers = r.StringMap(v, name, p) };
                    break;
                case "body":
                    if (v is ScalarNode { IsNull: true })
                    {
                        t = t with { Body = null };
                    }
                    else if (JsonValues.TryConvert(v, out var json, out var error))
                    {
                        t = t with { Body = json };
                    }
                    else
                    {
                        r.Error(v.Position, $"invalid 'body': {error}");
                    }

                    break;
                case "expect_status" when r.TryIntList(v, name, out var codes):
                    t = t with { ExpectStatus = codes };
                    break;
                case "retry_on_exit_codes" when r.TryIntList(v, name, out var codes):
                    t = t with { RetryOnExitCodes = codes };
                    break;
                case "trigger_rule" when r.TryString(v, name, out var s):
                    t = TaskEnums.TryTriggerRule(s, v, r, out var rule) ? t with { TriggerRule = rule } : t;
                    break;
                case "retry_backoff" when r.TryString(v, name, out var s):
                    t = TaskEnums.TryBackoff(s, v, r, out var backoff) ? t with { RetryBackoff = backoff } : t;
                    break;
                case "retries" when r.TryInt(v, name, out var n):
                    t = t with { Retries = n };
                    break;
                case "skip_on_exit_code" when r.TryInt(v, name, out var n):
                    t = t with { SkipOnExitCode = n };
                    break;
                case "pool_slots" when r.TryInt(v, name, out var n):
                    t = t with { PoolSlots = n };
                    break;
                case "priority" when r.TryInt(v, name, out var n):
                    t = t with { Priority = n };
                    break;
                case "critical" when r.TryBool(v, name, out var b):
                    t = t with { Critical = b };
                    break;
                case "retry_delay" when r.TryDuration(v, name, out var delay):
                    t = t with { RetryDelay = delay };
                    break;
                case "max_retry_delay" when r.TryDuration(v, name, out var maxDelay):
                    t = t with { MaxRetryDelay = maxDelay };
                    break;
                case "timeout":
                    t = v is ScalarNode { IsNull: true } ? t with { Timeout = null } : r.TryDuration(v, name, out var timeout) ? t with { Timeout = timeout } : t;
                    break;
                case "circuit_breaker":
                    t = t with { CircuitBreaker = CircuitBreakerMapper.Map(v, r) };
                    break;
                case "on_failure":
                    t = t with { OnFailure = HookMapper.Map(v, name, r) };
                    break;
                case "on_retry":
                    t = t with { OnRetry = HookMapper.Map(v, name, r) };
                    break;
                case "on_success":
                    t = t with { OnSuccess = HookMapper.Map(v, name, r) };
                    break;
                case "sla":
                    t = v is ScalarNode { IsNull: true } ? t with { Sla = null } : r.TryDuration(v, name, out var sla) ? t with { Sla = sla } : t;
                    break;
            }
        }

        return new TaskDraft(t with { Positions = p.ToImmutable() }, typeName, typePosition);
    }
}
