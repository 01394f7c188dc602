using System.CommandLine;
using System.Text.Json.Nodes;
using Weft.Cli.Running;
using Weft.Core.Dags;
using Weft.Engine.Operations;

namespace Weft.Cli.Commands;

/// <summary><c>weft pools set NAME SLOTS</c>: creates a pool or changes its size.</summary>
internal sealed class PoolsSetCommand : WeftCommand
{
    private readonly Argument<string> _name = new("NAME") { Description = "The pool's name (letters, digits, '_', '.', '-')" };

    private readonly Argument<int> _slots = new("SLOTS") { Description = "How many slots the pool has; 0 holds every task that uses it" };

    public PoolsSetCommand()
        : base("set", "Create a pool or change its number of slots")
    {
        Arguments.Add(_name);
        Arguments.Add(_slots);
        _name.Validators.Add(result =>
        {
            var name = result.GetValueOrDefault<string>();
            if (name is not null && !DagValidator.IsValidId(name))
            {
                result.AddError($"'{name}' is not a valid pool name; use 1 to 250 letters, digits, '_', '.' or '-', starting with a letter or digit");
            }
        });
        _slots.Validators.Add(result =>
        {
            // Read from the token: a value that is not a number is already a parse error, reported as such.
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, out var slots) && slots < 0)
            {
                result.AddError("the number of slots must be 0 or more");
            }
        });
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var name = context.ParseResult.GetRequiredValue(_name);
        var slots = context.ParseResult.GetValue(_slots);
        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        try
        {
            await new OperatorActions(store, TimeProvider.System).SetPoolAsync(name, slots, PoolWrite.Upsert, OperatorActor.CommandLine, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationException refused)
        {
            throw CliException.From(refused);
        }

        if (context.Json)
        {
            RunsOutput.WriteJson(context, new JsonObject { ["name"] = name, ["slots"] = slots });
        }
        else
        {
            context.WriteInfo($"pool '{name}': {slots} slot{(slots == 1 ? "" : "s")}");
        }

        return ExitCodes.Success;
    }
}
