using System.CommandLine;
using EdgeInfra.Automation;
using EdgeInfra.Cli.Output;
using EdgeInfra.Engine.Deployment;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra destroy</c>: removes a ring stack's resources (its stores' hub objects and bundles) from the fleet repo.</summary>
internal static class DestroyCommand
{
    public static Command Create(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var ring = CommonOptions.Ring();
        var allRings = CommonOptions.AllRings();
        var yes = CommonOptions.Yes();
        var json = CommonOptions.Json();
        var message = CommonOptions.Message();
        var command = new Command("destroy", "Delete everything a ring stack (or, with --all-rings, the whole fleet) created")
        {
            cwd, stack, ring, allRings, yes, json, message,
        };
        command.SetAction(async (parse, ct) =>
        {
            var ws = FleetWorkspace.Load(parse.GetValue(cwd), parse.GetValue(stack)!, context.Time);
            var selected = StackSelection.Resolve(ws, parse.GetValue(ring), parse.GetValue(allRings), requireChoice: true, "destroy");
            // The base stack holds the hub files every ring shares; it goes only when the whole fleet goes.
            var targets = parse.GetValue(allRings) ? selected.Reverse().ToList() : selected.Where(s => s.Ring is not null).ToList();
            if (!parse.GetValue(yes)) Confirm.UpdateOrThrow(context, $"Destroy {string.Join(", ", targets.Select(t => t.Name))}?");
            var source = SourceInfo.Discover(ws.Project.ProjectDir);
            var results = new List<object>();
            var failed = false;
            foreach (var s in targets)
            {
                using var session = EngineSession.Open(ws, s.Name, context.Time);
                var options = ChangeTrailers.Describe(UpdateOptions.Default, s, source, "edgeinfra destroy", parse.GetValue(message));
                var result = await session.Engine.DestroyAsync(s.Name, options, null, ct);
                results.Add(UpdateReport.Json(result, s.Ring));
                if (!parse.GetValue(json)) UpdateReport.Write(context.Console, result);
                if (!result.Succeeded) { failed = true; break; }
            }
            if (parse.GetValue(json)) JsonOutput.Write(context.Out, new { stack = ws.Stack, destroyed = results });
            return failed ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }
}
