using System.CommandLine;
using Weft.Cli.Running;
using Weft.Engine.Json;
using Weft.Engine.Operations;
using Weft.Engine.Storage;

namespace Weft.Cli.Commands;

/// <summary>
/// <c>weft dags trigger DAG [--conf JSON]</c>: queues a manual run in the database for the scheduler to
/// execute; nothing runs here. A subcommand of <c>weft dags</c>.
/// </summary>
internal sealed class DagsTriggerCommand : WeftCommand
{
    private readonly Argument<string> _dag = new("DAG")
    {
        Description = "The id of a DAG in the DAGs folder (or registered in the database)",
    };

    private readonly Option<string?> _conf = new("--conf")
    {
        Description = "Run parameters as a JSON object, overriding the DAG's params",
        HelpName = "JSON",
    };

    public DagsTriggerCommand()
        : base("trigger", "Queue a manual run of a DAG; a running scheduler executes it")
    {
        Arguments.Add(_dag);
        Options.Add(_conf);
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.ParseResult;
        var dagId = parse.GetValue(_dag)!;
        var conf = RunParameters.Parse(parse.GetValue(_conf), []);
        if (File.Exists(dagId) || Directory.Exists(dagId))
        {
            throw CliException.Usage($"'{dagId}' is a path; 'dags trigger' takes a DAG id", "put the file in the DAGs folder, or run it directly with 'weft run FILE'");
        }

        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        var actions = new OperatorActions(store, TimeProvider.System);
        RunSnapshot run;
        bool paused;
        try
        {
            // The folder is registered first, as the scheduler registers it: the run executes the registered version.
            paused = (await actions.FindDagAsync(context.DagsFolder, dagId, cancellationToken).ConfigureAwait(false)).Registered?.IsPaused == true;
            run = await actions.TriggerAsync(new TriggerRequest(dagId, conf), OperatorActor.CommandLine, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationException refused)
        {
            throw CliException.From(refused);
        }

        var runId = run.Run.RunId;
        context.Out.WriteLine(context.Json ? RunJson.Serialize(run, indented: true) : runId);
        if (!context.Quiet)
        {
            context.Error.WriteLine(paused
                ? $"hint: run {runId} is queued, but DAG {dagId} is paused: it starts once the DAG is unpaused"
                : $"hint: run {runId} is queued; a running 'weft scheduler' (or 'weft server') executes it. Follow it with 'weft runs show {runId}'");
        }

        return ExitCodes.Success;
    }
}
