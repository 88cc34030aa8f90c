using SifSign.Cli;

return SifSignCli.Run(args, CliContext.FromProcess());
