using System.CommandLine;
using EdgeInfra.Automation;
using EdgeInfra.Cli.Output;
using EdgeInfra.Components.Model;
using EdgeInfra.Lab;
using EdgeInfra.Rollout.Gates;
using EdgeInfra.Rollout.Gates.Metrics;
using EdgeInfra.Rollout.Holds;
using EdgeInfra.Rollout.Notifications;
using EdgeInfra.Rollout.Rollback;
using EdgeInfra.Rollout.Status;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.StackInputs.Config;

namespace EdgeInfra.Cli.Commands;

/// <summary><c>edgeinfra rollout</c>: walks every ring of the stack to the configured release through the health gates;
/// promotes, holds or rolls back. Rerunning the same command resumes.</summary>
internal static class RolloutCommand
{
    public static Command Create(CliContext context)
    {
        var cwd = CommonOptions.Cwd();
        var stack = CommonOptions.Stack();
        var holdTimeout = new Option<string?>("--hold-timeout") { Description = "How long a ring may hold before the rollout exits 1 (default: edge-infra:rollout.holdTimeout, 4h)", HelpName = "DURATION" };
        var gateInterval = new Option<string?>("--gate-interval") { Description = "How often gates are evaluated (default: edge-infra:rollout.gateInterval, 1m)", HelpName = "DURATION" };
        var scenario = new Option<string?>("--scenario") { Description = "Lab only: the edge-infra:lab scenario whose faults the simulator injects (e.g. bad-release)", HelpName = "NAME" };
        var allowMassDelete = CommonOptions.AllowMassDelete();
        var command = new Command("rollout", "Walk every ring to the configured release, gated on health; roll back on a breach")
        {
            cwd, stack, holdTimeout, gateInterval, scenario, allowMassDelete,
        };
        command.SetAction(async (parse, ct) =>
        {
            var overrideHold = Duration(parse.GetValue(holdTimeout), "--hold-timeout");
            var overrideInterval = Duration(parse.GetValue(gateInterval), "--gate-interval");
            var ws = FleetWorkspace.Load(parse.GetValue(cwd), parse.GetValue(stack)!, context.Time);
            foreach (var warning in ws.Fleet.Warnings) context.Error.WriteLine($"warning: {warning}");
            var settings = RolloutConfigReader.Load(ws.Config);
            var hubSettings = HubConfigReader.Load(ws.Config, ws.Project.ProjectDir);
            if (parse.GetValue(scenario) is { } s && !hubSettings.IsLab)
                throw new UsageException($"--scenario {s} is a lab scenario; stack {ws.Stack} reads a real hub");
            var scope = RolloutScope.Of(ws);
            if (!parse.GetValue(allowMassDelete))
            {
                // The walker applies ring after ring: what every ring would delete is judged before the first one.
                var all = StackSelection.Resolve(ws, null, allRings: true, requireChoice: false, "rollout");
                MassDeleteGuard.Check(ws, (await StackPreviews.PlanAsync(ws, all, Engine.Deployment.UpdateOptions.Default, context.Time, ct)).Select(p => p.View), false);
            }

            // The lab's walker and simulator share one virtual clock; the hub moves it on to the lab's persisted now.
            TimeProvider time = hubSettings.IsLab ? new LabClock(LabHubOptions.DefaultStartTime) : context.Time;
            var policy = RolloutWalkerBuilder.StatusPolicy(settings);
            await using var hub = await HubConnector.OpenAsync(ws, time, policy, new HubOpenOptions(Scenario: parse.GetValue(scenario)), ct);
            time = hub.Clock;
            await using var notifier = Notifier(ws, settings, context);
            var options = new WalkerOptions(overrideInterval ?? settings.GateInterval, overrideHold ?? settings.HoldTimeout, scope.Actor);
            // The engine keeps its locks and history on the real clock: its lock leases are about real processes.
            var walker = await RolloutWalkerBuilder.BuildAsync(ws, hub, scope, options, context.Time, "edgeinfra rollout",
                new RolloutTimelinePrinter(context.Out), notifier, ct);
            RolloutResult result;
            using (PhaseTimer.Start("walk rings")) result = await walker.RunAsync(ct);
            RolloutTimelinePrinter.WriteSummary(context.Out, ws.Model, result);
            if (result.Outcome == RolloutOutcome.Completed) return ExitCodes.Success;
            context.Error.WriteLine($"error: {result.Reason}");
            return ExitCodes.Failure;
        });
        return command;
    }

    private static INotifier Notifier(FleetWorkspace ws, RolloutSettings settings, CliContext context)
    {
        if (settings.WebhookKey is not { } key || ws.Config.Get(key) is null) return NoNotifier.Instance;
        var url = ws.Config.GetSecret(key);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new UsageException($"{key}: the webhook must be an http(s) URL");
        return new WebhookNotifier(uri, message => context.Error.WriteLine($"warning: {message}"));
    }

    private static TimeSpan? Duration(string? text, string option)
    {
        if (text is null) return null;
        if (DurationText.TryParse(text, out var span) && span > TimeSpan.Zero) return span;
        throw new UsageException($"{option} '{text}' is not a positive duration (e.g. 30s, 10m, 2h)");
    }

    /// <summary>Refuses to apply a release a rollback or an operator put on hold (used by <c>up</c>).</summary>
    public static void RefuseHeld(FleetWorkspace ws, IEnumerable<SelectedStack> stacks)
    {
        var holds = RolloutScope.Of(ws).Holds;
        foreach (var s in stacks.Where(s => s.Ring is not null))
        {
            var release = ReleaseSet.Parse(string.Join(",", StackOutputs.Releases(s.Desired)));
            if (holds.Blocking(release) is { Count: > 0 } blocking) throw new ReleaseHeldException(ws.Stack, blocking);
        }
    }
}
