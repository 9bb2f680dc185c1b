using EdgeInfra.Automation;
using EdgeInfra.Engine.Deployment;
using Spectre.Console;

namespace EdgeInfra.Cli.Output;

/// <summary>Shows a progress bar while an update runs (interactive terminals only; logs stay clean).</summary>
internal static class StepProgress
{
    public static async Task<T> Run<T>(CliContext context, string stack, StackChangeView view, Func<IProgress<StepEvent>?, Task<T>> run)
    {
        if (!context.Console.Profile.Capabilities.Interactive) return await run(null);
        var total = Math.Max(1, view.Counts.Where(c => c.Key != ChangeOps.Same).Sum(c => c.Value));
        T result = default!;
        await context.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(stack), maxValue: total);
                var progress = new Progress<StepEvent>(e =>
                {
                    if (e.Kind is StepEventKind.StepSucceeded or StepEventKind.StepFailed) task.Increment(1);
                    if (e.Kind is StepEventKind.ProviderCompleted) task.Description = Markup.Escape($"{stack}: {e.Message}");
                });
                result = await run(progress);
                task.Value = total;
            });
        return result;
    }
}
