namespace Weft.Engine.Logs;

/// <summary>Where an attempt's log lives under the Weft home folder.</summary>
internal static class TaskLogPaths
{
    /// <summary>
    /// <c>HOME/logs/dag_id=D/run_id=R/task_id=T/attempt=N.log</c>, Airflow's layout. Run ids keep their
    /// <c>:</c> characters, which Linux file names allow.
    /// </summary>
    public static string For(string home, string dagId, string runId, string taskId, int attempt) =>
        Path.Combine(home, "logs", "dag_id=" + dagId, "run_id=" + runId, "task_id=" + taskId, $"attempt={attempt}.log");
}
