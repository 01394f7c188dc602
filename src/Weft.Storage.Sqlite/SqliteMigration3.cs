namespace Weft.Storage.Sqlite;

/// <summary>
/// Migration 3: an index of the runs still queued or running. The scheduler lists them on every pass
/// (<see cref="SqliteStateStore.ListActiveRunsAsync"/>); without it that is a scan of every run ever made.
/// Partial, so finished runs (nearly all rows) cost nothing in it.
/// </summary>
internal static class SqliteMigration3
{
    public static SqliteMigrations.Migration ActiveRuns { get; } = new(3, "active_runs", """
        CREATE INDEX ix_dag_runs_active ON dag_runs (state, created_at) WHERE state IN ('queued', 'running');
        """);
}
