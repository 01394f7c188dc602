using Weft.Cli;
using Weft.Cli.Running;

StartupTrace.Mark("main");
if (WeftCli.CommandName(args) == "run")
{
    RunInterrupts.Install();
    RunWarmUp.Start();
}

var exitCode = await WeftCli.RunAsync(args, Console.Out, Console.Error);
StartupTrace.Mark("end");
return exitCode;
