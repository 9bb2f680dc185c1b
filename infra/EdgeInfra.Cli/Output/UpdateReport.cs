using EdgeInfra.Automation;
using EdgeInfra.Engine.Deployment;
using EdgeInfra.Engine.Planning;
using Spectre.Console;

namespace EdgeInfra.Cli.Output;

/// <summary>The closing lines of an update: what was done, the commit it made, and any failure.</summary>
internal static class UpdateReport
{
    public static void Write(IAnsiConsole console, UpdateResult result)
    {
        var done = string.Join(", ", result.Counts
            .Where(c => c.Key != StepOp.Same && c.Value > 0)
            .Select(c => $"{c.Value} {ChangeViews.OpName(c.Key)}"));
        var status = result.Succeeded ? "[green]succeeded[/]" : "[red]failed[/]";
        console.MarkupLine($"Update of [bold]{Markup.Escape(result.Stack)}[/] {status}" +
                           (result.Version is { } v ? $" (history version {v})" : "") + (done.Length > 0 ? $": {Markup.Escape(done)}" : ""));
        if (result.ResolvedPending > 0)
            console.MarkupLineInterpolated($"    resolved {result.ResolvedPending} operations left pending by an interrupted run");
        foreach (var (provider, revision) in result.Revisions)
            console.MarkupLineInterpolated($"    {provider}: {revision}");
        foreach (var f in result.Failures)
            console.MarkupLineInterpolated($"    [red]error[/]: {(f.Urn is { } u ? u.Value + ": " : "")}{f.Message}");
        console.WriteLine();
    }

    public static object Json(UpdateResult result, string? ring) => new
    {
        stack = result.Stack,
        ring,
        version = result.Version,
        succeeded = result.Succeeded,
        counts = result.Counts.Where(c => c.Value > 0).ToDictionary(c => ChangeViews.OpName(c.Key), c => c.Value),
        revisions = result.Revisions,
        resolvedPending = result.ResolvedPending,
        failures = result.Failures.Select(f => new { urn = f.Urn?.Value, provider = f.Provider, message = f.Message }),
    };
}
