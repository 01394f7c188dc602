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

    /// <summary>A hosted service that executes runs in this process: the tasks of the given queues, or of every queue when none.</summary>
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
