using System.CommandLine;
using EdgeInfra.Automation;
using EdgeInfra.Cli.Output;
using EdgeInfra.Engine.Config;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra stack export|ls</c>: a stack's state in Pulumi's deployment format, and the stacks that have state.</summary>
internal static class StackCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("stack", "Inspect stacks and their state");
        command.Subcommands.Add(Export(context));
        command.Subcommands.Add(List(context));
        return command;
    }

    private static Command Export(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var ring = CommonOptions.Ring();
        var file = new Option<string?>("--file") { Description = "Write to FILE instead of standard output", HelpName = "FILE" };
        var command = new Command("export", "Print a ring stack's state as a Pulumi UntypedDeployment (v3) JSON document; secrets stay encrypted")
        {
            cwd, stack, ring, file,
        };
        command.SetAction(async (parse, ct) =>
        {
            var ws = FleetWorkspace.Load(parse.GetValue(cwd), parse.GetValue(stack)!, context.Time);
            var name = parse.GetValue(ring) is { } r ? ws.RingStack(r).Stack : ws.BaseStack.Stack;
            using var session = EngineSession.Open(ws, ws.Stack, context.Time);
            var json = await session.Backend.ExportAsync(name, ct);
            if (parse.GetValue(file) is { } path) await File.WriteAllTextAsync(path, json, ct);
            else context.Out.WriteLine(json);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var json = CommonOptions.Json();
        var command = new Command("ls", "List the stacks that have state in the project's backend") { cwd, json };
        command.SetAction(parse =>
        {
            var project = ProjectLocator.Load(CliPaths.Cwd(parse.GetValue(cwd)));
            var backend = new FileStateBackend(project.StateRoot, project.Name, context.Time, null);
            var stacks = backend.ListStacks();
            if (parse.GetValue(json)) JsonOutput.Write(context.Out, stacks);
            else foreach (var s in stacks) context.Out.WriteLine(s);
            return ExitCodes.Success;
        });
        return command;
    }
}
