using Microsoft.Extensions.DependencyInjection;
using Weft.Core.Dags;
using Weft.Engine.Storage;

namespace Weft;

/// <summary>Configures Weft in a host app: <c>services.AddWeft(weft =&gt; weft.UseSqlite("weft.db").AddDag(dag).AddScheduler().AddWorker())</c>.</summary>
public sealed class WeftBuilder
{
    private readonly List<Action<WeftOptions>> _configure = [];
    private readonly List<DagDefinition> _dags = [];

    internal WeftBuilder(IServiceCollection services) => Services = services;

    /// <summary>The host's services.</summary>
    public IServiceCollection Services { get; }

    internal IReadOnlyList<DagDefinition> Dags => _dags;

    internal IReadOnlyList<Action<WeftOptions>> Configurations => _configure;

    /// <summary>Opens the store for the options; set by <c>UsePostgreSql</c>, SQLite otherwise.</summary>
    internal Func<WeftOptions, IStateStore>? StoreFactory { get; set; }

    /// <summary>Keeps the state in a SQLite database file (created when missing).</summary>
    public WeftBuilder UseSqlite(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Configure(o =>
        {
            o.Database = path;
            o.PostgreSql = null;
        });
    }

    /// <summary>Registers a DAG built in C# (<c>Dag.Create(…).Build()</c>); only processes whose host registered it run its tasks.</summary>
    public WeftBuilder AddDag(DagDefinition dag)
    {
        ArgumentNullException.ThrowIfNull(dag);
        if (_dags.Any(d => d.Id == dag.Id))
        {
            throw new ArgumentException($"DAG '{dag.Id}' is already added", nameof(dag));
        }

        _dags.Add(dag);
        return this;
    }

    /// <summary>Registers every DAG file of a folder (recursively) and follows its changes.</summary>
    public WeftBuilder AddDagsFolder(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Configure(o => o.DagsFolder = path);
    }

    /// <summary>A hosted service that creates runs when they fall due (schedules, catchup).</summary>
    public WeftBuilder AddScheduler() => Configure(o => o.Scheduler = true);

    /// <summary>
    /// A hosted service that executes runs in this process (it is their owner: it decides what runs next and runs the
    /// host's C# delegate tasks), with or without <see cref="AddScheduler"/>, which only adds creating runs when due.
    /// <list type="bullet">
    /// <item>Without queues, every task of the runs it executes runs here, whatever its <c>queue</c>.</item>
    /// <item>
    /// With queues, the host also runs a worker of those queues, as <c>weft worker --queues a,b</c> does (a lease of
    /// kind <c>worker</c>, listed in <c>/api/v1/workers</c>, woken by <c>LISTEN/NOTIFY</c> on PostgreSQL). The runs
    /// it executes then place tasks as <c>weft scheduler</c> does: a task without a <c>queue</c> runs here, a task with
    /// one is handed to the workers of that queue (this host's own for the queues named here) and waits until one
    /// serves it. So <c>AddScheduler().AddWorker("a")</c> is <c>weft scheduler</c> and <c>weft worker --queues a</c>
    /// in one process. The tasks of a DAG added with <see cref="AddDag"/> all run here, whatever their queue: a worker
    /// loads DAGs from the database, which keeps only a description of a DAG built in C#.
    /// </item>
    /// </list>
    /// </summary>
    /// <param name="queues">The queues whose tasks this host's worker runs; none for every queue, in this process.</param>
    public WeftBuilder AddWorker(params string[] queues) => Configure(o =>
    {
        o.Worker = true;
        o.Queues = [.. queues];
    });

    /// <summary>Sets options in code; the <c>Weft</c> configuration section is bound over them.</summary>
    public WeftBuilder Configure(Action<WeftOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _configure.Add(configure);
        return this;
    }
}
