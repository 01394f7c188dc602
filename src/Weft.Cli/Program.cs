using Weft.Cli;

StartupTrace.Mark("main");
var exitCode = await WeftCli.RunAsync(args, Console.Out, Console.Error);
StartupTrace.Mark("end");
return exitCode;
