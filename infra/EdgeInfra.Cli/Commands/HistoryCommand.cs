using System.CommandLine;
using EdgeInfra.Automation;
using EdgeInfra.Cli.Output;
using EdgeInfra.Engine.State;
using Spectre.Console;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra history</c>: every recorded update, refresh and destroy of a stack's ring stacks, newest first.</summary>
internal static class HistoryCommand
{
    public static Command Create(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var ring = CommonOptions.Ring();
        var json = CommonOptions.Json();
        var limit = new Option<int?>("--limit", "-n") { Description = "Show at most N entries per stack" };
        var command = new Command("history", "List the recorded runs of each ring stack (version, kind, who, when, result)")
        {
            cwd, stack, ring, json, limit,
        };
        command.SetAction(async (parse, ct) =>
        {
            var all = await context.Stack(parse.GetValue(cwd), parse.GetValue(stack)!).HistoryAsync(parse.GetValue(ring), parse.GetValue(limit), ct);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Out, all.Select(a => new { stack = a.Stack, history = a.Entries }));
                return ExitCodes.Success;
            }
            foreach (var (name, entries) in all)
            {
                var table = new Table().Title(Markup.Escape(name)).Border(TableBorder.Simple)
                    .AddColumns("Version", "Kind", "Started", "Actor", "Result", "Changes", "Revision", "Message");
                foreach (var e in entries)
                    table.AddRow(
                        e.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        e.Kind.ToString().ToLowerInvariant(),
                        e.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                        Markup.Escape(e.Actor),
                        e.Result switch { null => "[yellow]in progress or interrupted[/]", UpdateResultKind.Succeeded => "[green]succeeded[/]", _ => "[red]failed[/]" },
                        Markup.Escape(string.Join(" ", e.Changes.Where(c => c.Value > 0 && c.Key != "same").Select(c => $"{c.Key}:{c.Value}"))),
                        Markup.Escape(string.Join(" ", e.Revisions.Select(r => r.Value.Length > 12 ? r.Value[..12] : r.Value))),
                        Markup.Escape(e.Message.Split('\n')[0]));
                if (entries.Count == 0) context.Console.MarkupLineInterpolated($"{name}: no history yet");
                else context.Console.Write(table);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
