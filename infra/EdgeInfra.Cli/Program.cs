using EdgeInfra.Cli;

ServiceRuntime.ApplyIfServing(args, Console.Error);
using var signals = new TerminationSignals();
return await CliApp.RunAsync(args, Console.Out, Console.Error, TimeProvider.System, signals);
