using System.CommandLine;
using System.Text.Json.Nodes;
using Weft.Cli.Running;
using Weft.Engine.Operations;

namespace Weft.Cli.Commands;

/// <summary>
/// <c>weft dags pause DAG</c> and <c>weft dags unpause DAG</c>: a paused DAG gets no scheduled runs. The DAGs folder
/// is registered first (as the scheduler registers it), so a DAG only the folder knows has a row for the flag.
/// </summary>
internal sealed class DagsPauseCommand : WeftCommand
{
    private readonly bool _pause;

    private readonly Argument<string> _dagId = new("DAG") { Description = "The DAG's id" };

    public DagsPauseCommand(bool pause)
        : base(pause ? "pause" : "unpause", pause ? "Pause a DAG: the scheduler creates no runs for it" : "Unpause a DAG: the scheduler creates its runs again")
    {
        _pause = pause;
        Arguments.Add(_dagId);
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        var actions = new OperatorActions(store, TimeProvider.System);
        var dagId = context.ParseResult.GetRequiredValue(_dagId);
        bool changed;
        try
        {
            await actions.FindDagAsync(context.DagsFolder, dagId, cancellationToken).ConfigureAwait(false);
            (_, changed) = await actions.SetPausedAsync(dagId, _pause, OperatorActor.CommandLine, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationException refused)
        {
            throw CliException.From(refused);
        }

        if (context.Json)
        {
            RunsOutput.WriteJson(context, new JsonObject { ["dag_id"] = dagId, ["is_paused"] = _pause });
        }
        else
        {
            var verb = _pause ? "paused" : "unpaused";
            context.WriteInfo(changed ? $"{verb} DAG '{dagId}'" : $"DAG '{dagId}' was already {verb}");
        }

        return ExitCodes.Success;
    }
}
