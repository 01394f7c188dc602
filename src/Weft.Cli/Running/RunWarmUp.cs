using Microsoft.Data.Sqlite;

namespace Weft.Cli.Running;

/// <summary>
/// Set-up that a run pays for once per process, started on a pool thread while the main thread parses the command
/// line and loads the DAG: SQLite's native library and its call stubs. It opens an in-memory database only, never
/// the database file, and a failure here is left for the real work to meet and report.
/// </summary>
internal static class RunWarmUp
{
    public static void Start() => ThreadPool.UnsafeQueueUserWorkItem(static _ => Run(), null);

    private static void Run()
    {
        try
        {
            using (var connection = new SqliteConnection("Data Source=:memory:;Pooling=False"))
            {
                connection.Open();
                using var transaction = connection.BeginTransaction(deferred: false);
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "SELECT $a";
                command.Parameters.AddWithValue("$a", 1L);
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        _ = reader.GetInt64(0);
                    }
                }

                transaction.Commit();
            }
        }
        catch (Exception)
        {
            // Only a head start: the run itself opens the database and reports what fails.
        }
    }
}
