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

    /// <summary>Every top-level command, by name. To add one, write a <see cref="WeftCommand"/> and list it here.</summary>
    internal static readonly (string Name, Func<Command> Create)[] Commands =
    [
        ("validate", () => new ValidateCommand()),
        ("plan", () => new PlanCommand()),
        ("graph", () => new GraphCommand()),
        ("run", () => new RunCommand()),
        ("runs", () => new RunsCommand()),
        ("logs", () => new LogsCommand()),
        ("tasks", () => new TasksCommand()),
        ("dags", () => new DagsCommand()),
        ("pools", () => new PoolsCommand()),
        ("status", () => new StatusCommand()),
        ("scheduler", () => new SchedulerCommand()),
        ("schedules", () => new SchedulesCommand()),
        ("backfill", () => new BackfillCommand()),
        ("server", () => new ServerCommand()),
        ("worker", () => new WorkerCommand()),
        ("tokens", () => new TokensCommand()),
        ("secrets", () => new SecretsCommand()),
    ];

    // Response files are off: `--params @FILE` means a JSON file, which System.CommandLine would
    // otherwise expand as a list of extra arguments.
    private static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null };

    public static RootCommand BuildRootCommand() => BuildRootCommand(only: null);

    /// <summary>The command tree; with <paramref name="only"/>, the root and just that command ("" for none).</summary>
    internal static RootCommand BuildRootCommand(string? only)
    {
        var root = new RootCommand(Description);
        foreach (var option in GlobalOptions.All)
        {
            root.Options.Add(option);
        }

        foreach (var (name, create) in Commands)
        {
            if (only is null || only == name)
            {
                root.Subcommands.Add(create());
            }
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
            // Building every command costs more than parsing; a command line that names its command gets a tree with
            // just that one. Anything that does not parse is parsed again with the whole tree, so errors, hints and
            // suggestions are the same either way.
            var only = CommandName(args);
            parseResult = BuildRootCommand(only).Parse(args, Parsing);
            StartupTrace.Mark("command line parsed");
            if (only is not null && (parseResult.Action is ParseErrorAction || ParseErrors.FindOptionLikeArgument(parseResult, args) is not null))
            {
                parseResult = BuildRootCommand().Parse(args, Parsing);
            }

            // `weft NOSUCH --help` is an unknown command, not a request for the root's help.
            if (parseResult.Action is ParseErrorAction || parseResult.UnmatchedTokens.Count > 0)
            {
                ParseErrors.Report(parseResult, args, error);
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

    /// <summary>True for the commands that run until stopped: <c>server</c> and <c>scheduler</c>.</summary>
    internal static bool IsLongRunning(string? command) => command is "server" or "scheduler";

    /// <summary>
    /// The command a command line names: its first word that is neither an option nor the value of a global option
    /// that takes one, when that word is a command's name; "" for <c>weft --version</c>, which needs no command;
    /// otherwise null (the whole tree: the root's help lists every command).
    /// </summary>
    internal static string? CommandName(string[] args)
    {
        if (args is ["--version"])
        {
            return "";
        }

        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--db" or "--home" or "--dags")
            {
                i++;
            }
            else if (!arg.StartsWith('-'))
            {
                return Array.Exists(Commands, c => c.Name == arg) ? arg : null;
            }
            else if (arg == "--")
            {
                return null;
            }
        }

        return null;
    }
}
