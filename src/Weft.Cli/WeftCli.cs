using System.CommandLine;
using System.CommandLine.Invocation;
using Weft.Cli.Commands;

namespace Weft.Cli;

/// <summary>Builds the <c>weft</c> command tree and runs one invocation with the contract's error handling.</summary>
internal static class WeftCli
{
    private const string Description = """
        Weft: workflow orchestration. Define DAGs of tasks in YAML or JSON files; validate, plan and run them.

        Examples:
          weft validate dags/                         check every DAG file under dags/
          weft plan dags/etl.yaml                     execution layers, critical path, parallelism
          weft graph dags/etl.yaml --format mermaid   the DAG as a Mermaid flowchart
          weft run examples/dags/hello.yaml           run a DAG to completion
          weft run etl_daily --param date=2024-01-01  run a DAG from the DAGs folder by id
          weft run dags/etl.yaml --dry-run            print what would run, run nothing

        Exit codes: 0 success, 1 the run or subject failed, 2 usage or validation error, 3 infrastructure error.
        """;

    /// <summary>Every top-level command. To add one, write a <see cref="WeftCommand"/> and list it here.</summary>
    private static IEnumerable<Command> Commands() =>
    [
        new ValidateCommand(),
        new PlanCommand(),
        new GraphCommand(),
        new RunCommand(),
        new RunsCommand(),
        new LogsCommand(),
        new TasksCommand(),
        new DagsCommand(),
        new PoolsCommand(),
        new SchedulerCommand(),
        new BackfillCommand(),
        new ServerCommand(),
        new TokensCommand(),
        new SecretsCommand(),
    ];

    // Response files are off: `--params @FILE` means a JSON file, which System.CommandLine would
    // otherwise expand as a list of extra arguments.
    private static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null };

    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand(Description);
        foreach (var option in GlobalOptions.All)
        {
            root.Options.Add(option);
        }

        foreach (var command in Commands())
        {
            root.Subcommands.Add(command);
        }

        // `weft` alone: show the help, but as a usage error so a script with an empty command notices.
        root.SetAction(parseResult =>
        {
            root.Parse(["--help"]).Invoke(parseResult.InvocationConfiguration);
            return ExitCodes.Usage;
        });
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ParseResult? parseResult = null;
        try
        {
            parseResult = BuildRootCommand().Parse(args, Parsing);
            if (parseResult.Action is ParseErrorAction)
            {
                ParseErrors.Report(parseResult, error);
                return ExitCodes.Usage;
            }

            if (ParseErrors.FindOptionLikeArgument(parseResult, args) is { } unknownOption)
            {
                ParseErrors.ReportUnrecognized(parseResult, unknownOption, error);
                return ExitCodes.Usage;
            }

            var configuration = new InvocationConfiguration
            {
                Output = output,
                Error = error,
                // Exceptions come to the catch below, which prints one line, not a stack dump.
                EnableDefaultExceptionHandler = false,
            };
            return await parseResult.InvokeAsync(configuration).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return CliErrors.Report(e, error, parseResult?.GetValue(GlobalOptions.Verbose) ?? false);
        }
    }
}
