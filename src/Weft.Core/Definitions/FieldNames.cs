using System.Collections.Frozen;

namespace Weft.Core.Definitions;

/// <summary>The fields a DAG file may hold, and the aliases other orchestrators' files use for them.</summary>
internal static class FieldNames
{
    public static readonly string[] Dag =
    [
        "id", "name", "version", "description", "schedule", "timezone", "start_date", "end_date", "catchup",
        "max_active_runs", "max_active_tasks", "params", "tags", "defaults", "on_failure", "on_success", "tasks",
    ];

    public static readonly string[] Task =
    [
        "id", "name", "description", "type", "command", "script", "args", "env", "working_dir", "depends_on",
        "url", "method", "headers", "body", "expect_status", "trigger_rule", "retries", "retry_delay",
        "retry_backoff", "max_retry_delay", "retry_on_exit_codes", "timeout", "sla", "skip_on_exit_code",
        "pool", "pool_slots", "priority", "queue", "critical", "on_failure", "on_retry", "on_success",
        "function", "python_path", "circuit_breaker",
    ];

    /// <summary>Alias → the contract name.</summary>
    public static readonly FrozenDictionary<string, string> DagAliases = new Dictionary<string, string>
    {
        ["default_args"] = "defaults",
        ["schedule_interval"] = "schedule",
        ["dag_id"] = "id",
    }.ToFrozenDictionary();

    /// <summary>Alias → the contract name.</summary>
    public static readonly FrozenDictionary<string, string> TaskAliases = new Dictionary<string, string>
    {
        ["dependencies"] = "depends_on",
        ["upstream"] = "depends_on",
        ["execution_timeout"] = "timeout",
        ["task_id"] = "id",
        ["bash_command"] = "command",
        ["python_callable"] = "function",
        ["max_retries"] = "retries",
        ["retry_delay_seconds"] = "retry_delay",
        ["timeout_seconds"] = "timeout",
    }.ToFrozenDictionary();

    public static readonly FrozenSet<string> DagSet = Dag.ToFrozenSet();
    public static readonly FrozenSet<string> TaskSet = Task.ToFrozenSet();
}
