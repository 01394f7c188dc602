using System.Collections.Immutable;
using System.Text.Json;
using Weft.Core.Dags;
using Weft.Core.Scheduling;

namespace Weft.Core.Definitions;

/// <summary>Maps the top-level mapping of a DAG file onto <see cref="DagDefinition"/>, reporting every bad field.</summary>
internal static class DagMapper
{
    public static DagDefinition Map(MapNode root, FieldReader r)
    {
        var f = r.Fields(root, "the DAG", FieldNames.Dag, FieldNames.DagSet, FieldNames.DagAliases);
        var p = ImmutableDictionary.CreateBuilder<string, SourcePosition>();
        foreach (var (key, field) in f)
        {
            r.Track(p, key, field.Value);
        }

        var dag = new DagDefinition { Id = string.Empty, SourceFile = r.File };
        if (f.TryGetValue("id", out var id) && r.TryString(id.Value, "id", out var idText))
        {
            dag = dag with { Id = idText };
        }

        if (f.TryGetValue("name", out var name) && r.TryString(name.Value, "name", out var nameText))
        {
            if (f.ContainsKey("id"))
            {
                dag = dag with { DisplayName = nameText };
            }
            else
            {
                dag = dag with { Id = nameText };
                p["id"] = name.Value.Position;
            }
        }

        var zone = TimeZoneInfo.Utc;
        if (Value(f, "timezone") is { } tz && r.TryString(tz, "timezone", out var zoneName))
        {
            if (DateValues.TryFindZone(zoneName, out zone))
            {
                dag = dag with { TimeZone = zone };
            }
            else
            {
                var close = DateValues.SuggestZone(zoneName);
                r.Error(tz.Position, $"unknown time zone '{zoneName}'{(close is null ? ";" : $"; did you mean '{close}'?")} time zones are IANA names such as 'Europe/Amsterdam' or 'UTC'");
            }
        }

        if (Value(f, "version") is ScalarNode { IsNull: false } version)
        {
            // A label (Featherflow's "1.0.0", a number, a date): kept as written.
            dag = dag with { Version = version.Value };
        }
        else if (Value(f, "version") is { } badVersion)
        {
            r.Error(badVersion.Position, $"expected a label such as \"1.2.0\" for 'version', found {badVersion.Describe()}");
        }

        if (Value(f, "description") is { } description && r.TryString(description, "description", out var text))
        {
            dag = dag with { Description = text };
        }

        if (Value(f, "schedule") is { } schedule && r.TryString(schedule, "schedule", out var scheduleText))
        {
            if (Schedule.TryParse(scheduleText, out var parsed, out var error))
            {
                dag = dag with { Schedule = parsed };
            }
            else
            {
                r.Error(schedule.Position, $"invalid schedule '{scheduleText}': {error}");
            }
        }

        dag = dag with
        {
            StartDate = Date(Value(f, "start_date"), "start_date", zone, r),
            EndDate = Date(Value(f, "end_date"), "end_date", zone, r),
        };

        if (Value(f, "catchup") is { } catchup && r.TryBool(catchup, "catchup", out var b)) dag = dag with { Catchup = b };
        if (Value(f, "max_active_runs") is { } runs && r.TryInt(runs, "max_active_runs", out var n)) dag = dag with { MaxActiveRuns = n };
        if (Value(f, "max_active_tasks") is { } tasks && r.TryInt(tasks, "max_active_tasks", out n)) dag = dag with { MaxActiveTasks = n };
        if (Value(f, "tags") is { } tags) dag = dag with { Tags = r.StringList(tags, "tags", null) };
        if (Value(f, "params") is { } parameters) dag = dag with { Params = Params(parameters, r, p) };
        if (Value(f, "on_failure") is { } onFailure) dag = dag with { OnFailure = HookMapper.Map(onFailure, "on_failure", r) };
        if (Value(f, "on_success") is { } onSuccess) dag = dag with { OnSuccess = HookMapper.Map(onSuccess, "on_success", r) };

        var defaults = Value(f, "defaults") is { } d ? TaskMapper.MapDefaults(d, r) : new TaskDraft(new TaskDefinition { Id = string.Empty }, null, SourcePosition.None);
        if (f.TryGetValue("tasks", out var taskField))
        {
            p["tasks"] = taskField.Key.Position;
            dag = dag with { Tasks = Tasks(taskField.Value, defaults, r) };
        }

        return dag with { Positions = p.ToImmutable() };
    }

    private static SourceNode? Value(Dictionary<string, Field> fields, string name) =>
        fields.TryGetValue(name, out var f) && f.Value is not ScalarNode { IsNull: true } ? f.Value : null;

    private static DateTimeOffset? Date(SourceNode? node, string field, TimeZoneInfo zone, FieldReader r)
    {
        if (node is null)
        {
            return null;
        }

        if (node is ScalarNode s && DateValues.TryParseInstant(s.Value, zone, out var instant))
        {
            return instant;
        }

        r.Error(node.Position, $"invalid date {node.Describe()} for '{field}'; write a date (2024-01-01) or an ISO-8601 date-time (2024-01-01T06:00:00, optionally with an offset such as +02:00 or Z)");
        return null;
    }

    private static ImmutableDictionary<string, JsonElement> Params(SourceNode node, FieldReader r, ImmutableDictionary<string, SourcePosition>.Builder positions)
    {
        if (node is not MapNode map)
        {
            r.Error(node.Position, $"expected a mapping of parameter names to default values for 'params', found {node.Describe()}");
            return ImmutableDictionary<string, JsonElement>.Empty;
        }

        var result = ImmutableDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            if (JsonValues.TryConvert(value, out var json, out var error))
            {
                result[key.Value] = json;
                positions[$"params.{key.Value}"] = key.Position;
            }
            else
            {
                r.Error(value.Position, $"invalid value for parameter '{key.Value}': {error}");
            }
        }

        return result.ToImmutable();
    }

    private static ImmutableArray<TaskDefinition> Tasks(SourceNode node, TaskDraft defaults, FieldReader r)
    {
        var tasks = ImmutableArray.CreateBuilder<TaskDefinition>();
        switch (node)
        {
            case ScalarNode { IsNull: true }:
                break;
            case ListNode list:
                for (var i = 0; i < list.Items.Count; i++)
                {
                    if (TaskMapper.Map(list.Items[i], defaults, r, null, i) is { } t) tasks.Add(t);
                }

                break;
            case MapNode map:
                // Also accepted: tasks as a mapping of id to task.
                for (var i = 0; i < map.Entries.Count; i++)
                {
                    if (TaskMapper.Map(map.Entries[i].Value, defaults, r, map.Entries[i].Key, i) is { } t) tasks.Add(t);
                }

                break;
            default:
                r.Error(node.Position, $"expected a list of tasks for 'tasks', found {node.Describe()}");
                break;
        }

        return tasks.ToImmutable();
    }
}
