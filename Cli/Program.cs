using QaDatabases.Cli;

return await QaDbCli.RunAsync(args, Console.Out, Console.Error);
