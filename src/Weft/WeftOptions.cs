namespace Weft;

/// <summary>
/// Weft's settings in a host app, bound from the <c>Weft</c> configuration section (appsettings, environment
/// <c>Weft__…</c>) over what <see cref="WeftBuilder"/> set in code, and validated at start. Every default is here.
/// </summary>
public sealed class WeftOptions
{
    /// <summary>The configuration section bound onto these options.</summary>
    public const string SectionName = "Weft";

    /// <summary>The SQLite database file (default <c>weft.db</c>); ignored when <see cref="PostgreSql"/> is set.</summary>
    public string Database { get; set; } = "weft.db";

    /// <summary>A PostgreSQL connection string; needs the <c>Weft.PostgreSql</c> package and <c>UsePostgreSql</c>.</summary>
    public string? PostgreSql { get; set; }

    /// <summary>A folder of YAML DAG files to register and keep in step with; null for none.</summary>
    public string? DagsFolder { get; set; }

    /// <summary>Weft's home folder: task logs, temporary folders and the secret key (default <c>.weft</c>).</summary>
    public string Home { get; set; } = ".weft";

    /// <summary>Where relative script paths are looked up first (default <c>tasks</c>).</summary>
    public string TasksDir { get; set; } = "tasks";

    /// <summary>Whether this process creates runs when they fall due (<see cref="WeftBuilder.AddScheduler"/>).</summary>
    public bool Scheduler { get; set; }

    /// <summary>Whether this process executes runs (<see cref="WeftBuilder.AddWorker"/>).</summary>
    public bool Worker { get; set; }

    /// <summary>
    /// The queues whose tasks this process's worker takes, as <c>weft worker --queues</c> does; empty for every queue
    /// (the tasks of the runs this process executes then all run here). See <see cref="WeftBuilder.AddWorker"/>.
    /// </summary>
    public IList<string> Queues { get; set; } = [];

    /// <summary>Attempts of <see cref="Queues"/> running at once on this process's worker (default 16, as <c>weft worker</c>).</summary>
    public int WorkerConcurrency { get; set; } = 16;

    /// <summary>Runs executed at once by this process (default 32).</summary>
    public int MaxActiveRuns { get; set; } = 32;

    /// <summary>Tasks running at once across every run of this process; 0 for no limit beyond each DAG's (default 0).</summary>
    public int Parallelism { get; set; }

    /// <summary>How often the database is looked at for runs to take up (default 500 ms).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long running runs may go on finishing when the host stops; the rest resume at the next start (default 10 s).</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often <see cref="IWeftClient.WaitAsync"/> reads the run again (default 100 ms).</summary>
    public TimeSpan WaitPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);
}
