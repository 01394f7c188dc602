using System.Text.RegularExpressions;
using Weft.Core.Diagnostics;
using Weft.Core.Scheduling;
using Weft.Core.Scheduling.Cron;

namespace Weft.Core.Dags;

/// <summary>
/// The model-level checks every DAG gets, whether loaded from a file or built in code: ids, limits, dependencies,
/// cycles and expressions. All problems are collected; nothing stops at the first.
/// </summary>
internal static partial class DagValidator
{
    private const string IdRule = "ids start with a letter or digit and hold only letters, digits, '_', '.' and '-' (at most 250 characters)";

    /// <param name="dag">The DAG.</param>
    /// <param name="contentShifts">For file DAGs: scalars whose text maps onto columns, so expression problems point inside them.</param>
    public static List<Diagnostic> Validate(DagDefinition dag, IReadOnlyDictionary<SourcePosition, int>? contentShifts)
    {
        var d = new List<Diagnostic>();
        CheckDag(dag, d);
        var graph = TaskGraph.Build(dag, d);
        foreach (var task in dag.Tasks)
        {
            CheckTask(task, d);
        }

        CheckCycles(dag, graph, d);
        new ExpressionChecker(dag, graph, contentShifts, d).CheckAll();
        CheckConnected(dag, graph, d);
        return d;
    }

    internal static bool IsValidId(string id) => IdPattern().IsMatch(id);

    private static void CheckDag(DagDefinition dag, List<Diagnostic> d)
    {
        if (dag.Id.Length == 0)
        {
            d.Add(Diagnostic.Error(dag.PositionOf("id"), "missing 'id'; every DAG needs an id (or a 'name')"));
        }
        else if (!IsValidId(dag.Id))
        {
            d.Add(Diagnostic.Error(dag.PositionOf("id"), $"invalid DAG id '{Short(dag.Id)}'; {IdRule}"));
        }

        if (dag.Tasks.IsEmpty)
        {
            d.Add(dag.Positions.ContainsKey("tasks")
                ? Diagnostic.Error(dag.PositionOf("tasks"), "the task list is empty; a DAG needs at least one task")
                : Diagnostic.Error(dag.PositionOf("id"), "missing 'tasks'; a DAG needs a list of tasks"));
        }

        if (dag.MaxActiveRuns < 1)
        {
            d.Add(Diagnostic.Error(dag.PositionOf("max_active_runs"), $"'max_active_runs' must be at least 1, found {dag.MaxActiveRuns}"));
        }

        if (dag.MaxActiveTasks < 1)
        {
            d.Add(Diagnostic.Error(dag.PositionOf("max_active_tasks"), $"'max_active_tasks' must be at least 1, found {dag.MaxActiveTasks}"));
        }

        if (dag.Catchup && dag.StartDate is null)
        {
            d.Add(Diagnostic.Error(dag.PositionOf("catchup"), "'catchup: true' needs a 'start_date': it creates every missed interval since then"));
        }
        else if (dag.Schedule is not null and not OnceSchedule && dag.StartDate is null)
        {
            d.Add(Diagnostic.Warning(dag.PositionOf("schedule"), $"schedule '{dag.Schedule.Text}' has no 'start_date'; runs start from the moment the DAG is registered"));
        }

        if (dag.Schedule is CronSchedule cron)
        {
            foreach (var warning in CronWarnings.For(cron.Cron))
            {
                d.Add(Diagnostic.Warning(dag.PositionOf("schedule"), $"schedule '{cron.Text}': {warning}"));
            }
        }

        if (dag.StartDate is { } start && dag.EndDate is { } end && end < start)
        {
            d.Add(Diagnostic.Error(dag.PositionOf("end_date"), $"'end_date' ({end:O}) is before 'start_date' ({start:O})"));
        }
    }

    private static void CheckTask(TaskDefinition t, List<Diagnostic> d)
    {
        if (t.Id.Length == 0 && !t.Positions.ContainsKey("id"))
        {
            d.Add(Diagnostic.Error(t.PositionOf("id"), "a task has an empty id; every task needs a unique id"));
        }
        else if (t.Id.Length > 0 && !IsValidId(t.Id))
        {
            d.Add(Diagnostic.Error(t.PositionOf("id"), $"invalid task id '{Short(t.Id)}'; {IdRule}"));
        }

        var name = $"task '{Short(t.Id)}'";
        switch (t.Type)
        {
            case TaskType.Shell when string.IsNullOrWhiteSpace(t.Command):
                d.Add(Diagnostic.Error(t.PositionOf("type"), $"{name} is a shell task but has no 'command'"));
                break;
            case TaskType.Script when string.IsNullOrWhiteSpace(t.Script):
                d.Add(Diagnostic.Error(t.PositionOf("type"), $"{name} is a script task but has no 'script' (the path of the script to run)"));
                break;
            case TaskType.Http when string.IsNullOrWhiteSpace(t.Url):
                d.Add(Diagnostic.Error(t.PositionOf("type"), $"{name} is an http task but has no 'url'"));
                break;
            case TaskType.Http when !t.Url!.Contains("${{", StringComparison.Ordinal)
                && !(Uri.TryCreate(t.Url.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"):
                d.Add(Diagnostic.Error(t.PositionOf("url"), $"invalid URL '{Short(t.Url)}' in {name}; expected an absolute http:// or https:// URL"));
                break;
            case TaskType.Python when !FunctionPattern().IsMatch(t.Function ?? string.Empty):
                d.Add(Diagnostic.Error(t.PositionOf("function"), $"invalid function '{Short(t.Function ?? string.Empty)}' in {name}; write the module and the function as \"package.module:func\""));
                break;
            case TaskType.Delegate when t.Delegate is null:
                d.Add(Diagnostic.Error(t.PositionOf("id"), $"{name} is a delegate task but has no delegate"));
                break;
        }

        if (t.Function is not null && t.Type != TaskType.Python)
        {
            d.Add(Diagnostic.Error(t.PositionOf("function"), $"{name} has a 'function' but is a {t.Type.ToString().ToLowerInvariant()} task; a function is called by 'type: python' (without 'command')"));
        }

        if (t.Type == TaskType.Http && !MethodPattern().IsMatch(t.Method))
        {
            d.Add(Diagnostic.Error(t.PositionOf("method"), $"invalid HTTP method '{Short(t.Method)}' in {name}; expected e.g. GET, POST, PUT, PATCH or DELETE"));
        }

        Range(d, t, "retries", t.Retries, 0, int.MaxValue, "0 or more");
        Range(d, t, "pool_slots", t.PoolSlots, 1, int.MaxValue, "at least 1");
        Range(d, t, "skip_on_exit_code", t.SkipOnExitCode, 0, 255, "an exit code from 0 to 255");
        foreach (var code in t.RetryOnExitCodes) Range(d, t, "retry_on_exit_codes", code, 1, 255, "exit codes from 1 to 255");
        foreach (var code in t.ExpectStatus) Range(d, t, "expect_status", code, 100, 599, "HTTP statuses from 100 to 599");
        Positive(d, t, "timeout", t.Timeout);
        Positive(d, t, "sla", t.Sla);
        if (t.RetryDelay < TimeSpan.Zero) d.Add(Diagnostic.Error(t.PositionOf("retry_delay"), $"'retry_delay' of {name} must not be negative"));
        if (t.MaxRetryDelay < TimeSpan.Zero) d.Add(Diagnostic.Error(t.PositionOf("max_retry_delay"), $"'max_retry_delay' of {name} must not be negative"));

        if (!IsValidId(t.Pool))
        {
            d.Add(Diagnostic.Error(t.PositionOf("pool"), $"invalid pool name '{Short(t.Pool)}' in {name}; {IdRule}"));
        }

        if (!IsValidId(t.Queue))
        {
            d.Add(Diagnostic.Error(t.PositionOf("queue"), $"invalid queue name '{Short(t.Queue)}' in {name}; {IdRule}"));
        }
    }

    private static void Range(List<Diagnostic> d, TaskDefinition t, string field, int value, int min, int max, string rule)
    {
        if (value < min || value > max)
        {
            d.Add(Diagnostic.Error(t.PositionOf(field), $"'{field}' of task '{Short(t.Id)}' must be {rule}, found {value}"));
        }
    }

    private static void Positive(List<Diagnostic> d, TaskDefinition t, string field, TimeSpan? value)
    {
        if (value is { } v && v <= TimeSpan.Zero)
        {
            d.Add(Diagnostic.Error(t.PositionOf(field), $"'{field}' of task '{Short(t.Id)}' must be longer than zero; leave it out for none"));
        }
    }

    internal static string Short(string s) => s.Length > 60 ? s[..57] + "..." : s;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,249}$")]
    private static partial Regex IdPattern();

    // package.module:func (the function may be a dotted attribute path, as in module:Class.method).
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex FunctionPattern();

    [GeneratedRegex("^[A-Z]{1,20}$")]
    private static partial Regex MethodPattern();
}
