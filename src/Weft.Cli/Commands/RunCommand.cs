using System.CommandLine;
using Weft.Core.Dags;
using Weft.Engine.Operations;

namespace Weft.Cli.Commands;

/// <summary>
/// <c>weft run FILE|DAG_ID</c>: one run to completion, or with <c>--dry-run</c> the plan and nothing run,
/// or with <c>--resume RUN_ID</c> the continuation of an earlier run.
/// </summary>
internal sealed class RunCommand : WeftCommand
{
    private readonly Argument<string?> _target = new("FILE|DAG_ID")
    {
        Description = "A DAG file, or the id of a DAG in the DAGs folder",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly Option<string[]> _param = new("--param", "-p")
    {
        Description = "Set a run parameter (a string); repeat for more",
        HelpName = "KEY=VALUE",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly Option<string?> _params = new("--params")
    {
        Description = "Run parameters as a JSON object, or @FILE to read it from a file",
        HelpName = "JSON|@FILE",
    };

    private readonly Option<int?> _parallelism = new("--parallelism")
    {
        Description = "Most tasks of the run active at once [default: the DAG's max_active_tasks]",
        HelpName = "N",
    };

    private readonly Option<string?> _tasksDir = new("--tasks-dir")
    {
        Description = "Folder where relative script paths are looked up first [default: ./tasks]",
        HelpName = "DIR",
    };

    private readonly Option<bool> _dryRun = new("--dry-run")
    {
        Description = "Print the plan, the tasks and their commands; run nothing",
    };

    private readonly Option<string?> _resume = new("--resume")
    {
        Description = "Continue an earlier run after a crash or 'tasks clear'; tasks that succeeded do not run again",
        HelpName = "RUN_ID",
    };

    private readonly Option<bool> _output = new("--output", "-o")
    {
        Description = "Stream every task's output live, each line prefixed with its task id",
    };

    public RunCommand()
        : base("run", "Run a DAG once to completion, with live progress; --dry-run shows what would run")
    {
        Arguments.Add(_target);
        Options.Add(_param);
        Options.Add(_params);
        Options.Add(_parallelism);
        Options.Add(_tasksDir);
        Options.Add(_dryRun);
        Options.Add(_resume);
        Options.Add(_output);
        _parallelism.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--parallelism must be at least 1");
            }
        });
        Validators.Add(result =>
        {
            var hasTarget = result.GetValue(_target) is not null;
            var resume = result.GetValue(_resume) is not null;
            if (!hasTarget && !resume)
            {
                result.AddError("give a DAG file or id to run, or --resume RUN_ID");
            }
            else if (resume && result.GetValue(_dryRun))
            {
                result.AddError("--dry-run cannot be combined with --resume");
            }
        });
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.ParseResult;
        var conf = RunParameters.Parse(parse.GetValue(_params), parse.GetValue(_param) ?? []);
        var target = parse.GetValue(_target);
        StartupTrace.Mark("run: options");
        var dag = target is null ? null : DagTargets.Load(context, target);
        StartupTrace.Mark("run: dag loaded");
        if (dag is not null)
        {
            try
            {
                // The DAG's parameter checks, as 'dags trigger' and the API apply them.
                conf = RunParams.Check(dag, conf);
            }
            catch (OperationException refused)
            {
                throw CliException.From(refused);
            }
        }

        var request = new RunRequest(
            dag,
            conf,
            parse.GetValue(_parallelism),
            Path.GetFullPath(parse.GetValue(_tasksDir) ?? "tasks"),
            parse.GetValue(_resume)) { Output = parse.GetValue(_output) };

        if (parse.GetValue(_dryRun))
        {
            DryRun.Write(context, DagGraph.Build(dag!), request);
            return ExitCodes.Success;
        }

        return await ExecuteRunAsync(context, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs (or resumes) the DAG to completion and returns 0 when the run succeeded, 1 when it failed,
    /// 3 when the database or the machine failed.
    /// </summary>
    internal static Task<int> ExecuteRunAsync(CliContext context, RunRequest request, CancellationToken cancellationToken) =>
        Running.LocalRun.ExecuteAsync(context, request, cancellationToken);
}
