return await Weft.Cli.WeftCli.RunAsync(args, Console.Out, Console.Error);
