using EdgeInfra.Automation.Releases;
using EdgeInfra.Components.Model;
using EdgeInfra.Engine.Deployment;
using EdgeInfra.Lab;
using EdgeInfra.Rollout.Holds;
using EdgeInfra.Rollout.Notifications;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.StackInputs.Config;

namespace EdgeInfra.Automation;

/// <summary>One stack of a workspace and the operations on it: preview, apply a ring, roll out, roll back, freeze,
/// hold, catch up, status, audit, history and rehearse.</summary>
/// <remarks>The operations the CLI's verbs run, with the same locks and state: a rollout started here is seen (and a
/// second one refused) by the CLI, and the other way round. Commits record the verb the CLI would.</remarks>
public sealed partial class EdgeInfraStack
{
    private readonly EdgeInfraWorkspace _workspace;
    private readonly Action<string> _warn;

    internal EdgeInfraStack(EdgeInfraWorkspace workspace, string name, Action<string> warn, string? actor = null)
    {
        _workspace = workspace;
        Name = name;
        _warn = warn;
        Actor = actor;
    }

    /// <summary>The stack's name, e.g. <c>lab</c>.</summary>
    public string Name { get; }

    /// <summary>The directory holding the project's Pulumi.yaml.</summary>
    public string ProjectDir => _workspace.ProjectDir;

    /// <summary>Who the operations record as acting; null: discovered as the CLI does (EDGEINFRA_ACTOR, the config
    /// repo's git user, user@host).</summary>
    public string? Actor { get; }

    /// <summary>The same stack with its operations recorded as done by <paramref name="actor"/> (the service passes the
    /// name of the caller's token), in commit trailers, holds, freezes and the audit log.</summary>
    public EdgeInfraStack As(string actor) => new(_workspace, Name, _warn, actor);

    private TimeProvider Time => _workspace.Time;

    /// <summary>What an update would change, per engine stack, without touching anything.</summary>
    public async Task<StackPreview> PreviewAsync(PreviewRequest? request = null, CancellationToken ct = default)
    {
        request ??= PreviewRequest.Default;
        var ws = await LoadAsync(request.Offline ? ImagePinning.Offline : ImagePinning.Resolve, ct);
        var selected = StackSelection.Resolve(ws, request.Ring, allRings: false, requireChoice: false, "preview");
        var options = new UpdateOptions { Targets = [.. request.Targets ?? []] };
        var previews = await StackPreviews.PlanAsync(ws, selected, options, Time, ct);
        if (request.SavePlan && options.Targets.Length > 0)
            throw new UsageException("a saved plan covers whole stacks; preview without --target to save one");
        var views = previews.Select(p => p.View).ToList();
        return new StackPreview(ws.Stack, views)
        {
            MovedTags = ws.Pins.Moved,
            Images = ws.Pins.Images,
            Facts = PreviewFactsBuilder.Build(ws, views, Time.GetUtcNow()),
            Plan = request.SavePlan
                ? await Plans.SavedPlans.CreateAsync(ws, request.Ring, previews, SourceInfo.Discover(ws.Project.ProjectDir, Actor), Time, ct)
                : null,
        };
    }

    /// <summary>Applies one ring as the rollout does (the base stack first when its hub files changed, one commit with
    /// trailers), refusing a held release or a mass delete, without any gate.</summary>
    /// <exception cref="ReleaseHeldException">The ring's release is on hold.</exception>
    /// <param name="offline">Pin the release's images to the digests recorded in state instead of resolving them.</param>
    public async Task<RingApplyResult> ApplyRingAsync(string ring, string reason, bool allowMassDelete = false, CancellationToken ct = default,
        bool offline = false)
    {
        var ws = await LoadAsync(offline ? ImagePinning.Offline : ImagePinning.Resolve, ct);
        var selected = StackSelection.Resolve(ws, ring, allRings: false, requireChoice: true, Verbs.Up);
        RefuseHeld(ws, selected);
        await ReleaseSignatureVerifier.RefuseUnverifiedAsync(ws, [ring], Actor, Time, ct);
        if (!allowMassDelete)
            MassDeleteGuard.Check(ws, (await StackPreviews.PlanAsync(ws, selected, UpdateOptions.Default, Time, ct)).Select(p => p.View), false);
        var scope = RolloutScope.Of(ws, Actor);
        return await new EngineRingApplier(ws, scope.Source, Time, Verbs.Up).ApplyAsync(ring, new CatchUpStore(scope.Paths).Paused(), reason, ct);
    }

    /// <summary>Walks every ring to the configured release through the health gates; promotes, holds or rolls back.
    /// Started again after a stop, it resumes where the persisted walk left off.</summary>
    /// <param name="events">Receives every walker decision as it is made (applies, gate verdicts, promotions, holds, rollbacks).</param>
    public async Task<RolloutReport> RolloutAsync(RolloutRequest? request = null, IRolloutTimeline? events = null, CancellationToken ct = default)
    {
        request ??= RolloutRequest.Default;
        var ws = await LoadAsync(request.Offline ? ImagePinning.Offline : ImagePinning.Resolve, ct);
        var settings = RolloutConfigReader.Load(ws.Config);
        var hubSettings = HubConfigReader.Load(ws.Config, ws.Project.ProjectDir);
        if (request.Scenario is { } s && !hubSettings.IsLab)
            throw new UsageException($"--scenario {s} is a lab scenario; stack {ws.Stack} reads a real hub");
        if (request.Plan is { } plan) await Plans.SavedPlans.VerifyAsync(ws, plan, ring: null, ct);
        var scope = RolloutScope.Of(ws, Actor);
        if (!request.AllowMassDelete)
        {
            // The walker applies ring after ring: what every ring would delete is judged before the first one.
            var all = StackSelection.Resolve(ws, null, allRings: true, requireChoice: false, "rollout");
            MassDeleteGuard.Check(ws, (await StackPreviews.PlanAsync(ws, all, UpdateOptions.Default, Time, ct)).Select(p => p.View), false);
        }

        // The lab's walker and simulator share one virtual clock; the hub moves it on to the lab's persisted now.
        TimeProvider time = hubSettings.IsLab ? new LabClock(LabHubOptions.DefaultStartTime) : Time;
        var policy = RolloutWalkerBuilder.StatusPolicy(settings);
        await using var hub = await HubConnector.OpenAsync(ws, time, policy, new HubOpenOptions(Scenario: request.Scenario), ct);
        await using var notifier = Notifier(ws, settings);
        var options = new WalkerOptions(request.GateInterval ?? settings.GateInterval, request.HoldTimeout ?? settings.HoldTimeout, scope.Actor)
        {
            RunBy = request.RunBy,
        };
        // The engine keeps its locks and history on the real clock: its lock leases are about real processes.
        var walker = await RolloutWalkerBuilder.BuildAsync(ws, hub, scope, options, Time, Verbs.Rollout,
            events ?? NoTimeline.Instance, notifier, ct);
        RolloutResult result;
        using (PhaseTimer.Start("walk rings")) result = await walker.RunAsync(ct);
        return new RolloutReport(result, RingStores(ws.Model));
    }

    /// <summary>Predicts a release's rollout on the lab simulator (virtual time, throw-away state and fleet repo).</summary>
    /// <exception cref="RehearsalException">The current release does not settle in the simulator.</exception>
    public Task<RehearsalReport> RehearseAsync(RehearseRequest request, CancellationToken ct = default) =>
        RehearsalRun.RunAsync(new RehearsalRequest(_workspace.ProjectDir, Name, request.Release, request.Scenario, request.Seed, request.Offline), Time, ct);

    /// <summary>Refuses to apply a release a rollback or an operator put on hold.</summary>
    internal static void RefuseHeld(FleetWorkspace ws, IEnumerable<SelectedStack> stacks)
    {
        var holds = RolloutScope.Of(ws).Holds;
        foreach (var s in stacks.Where(s => s.Ring is not null))
        {
            if (holds.Blocking(StackOutputs.Release(s.Desired)) is { Count: > 0 } blocking) throw new ReleaseHeldException(ws.Stack, blocking);
        }
    }

    private FleetWorkspace Load()
    {
        var ws = FleetWorkspace.Load(_workspace.ProjectDir, Name, Time);
        foreach (var warning in ws.Fleet.Warnings) _warn(warning);
        return ws;
    }

    /// <summary>Loads the workspace with the release's images pinned to digests (see <see cref="ImagePinning"/>).</summary>
    private async Task<FleetWorkspace> LoadAsync(ImagePinning pinning, CancellationToken ct)
    {
        var ws = await FleetWorkspace.LoadAsync(_workspace.ProjectDir, Name, Time, pinning, ct);
        foreach (var warning in ws.Fleet.Warnings) _warn(warning);
        return ws;
    }

    private INotifier Notifier(FleetWorkspace ws, RolloutSettings settings)
    {
        if (settings.WebhookKey is not { } key || ws.Config.Get(key) is null) return NoNotifier.Instance;
        var url = ws.Config.GetSecret(key);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new UsageException($"{key}: the webhook must be an http(s) URL");
        return new WebhookNotifier(uri, _warn);
    }

    private static IReadOnlyDictionary<string, int> RingStores(FleetModel model) =>
        model.Rings.ToDictionary(r => r.Name, r => model.StoresInRing(r.Name).Count(), StringComparer.Ordinal);

    private sealed class NoTimeline : IRolloutTimeline
    {
        public static NoTimeline Instance { get; } = new();

        public void Write(TimelineEvent e) { }
    }
}

/// <summary>The verbs commits and the audit log record for each operation, as the CLI names them.</summary>
internal static class Verbs
{
    public const string Up = "edgeinfra up";
    public const string Rollout = "edgeinfra rollout";
    public const string Rollback = "edgeinfra rollback";
    public const string CatchUp = "edgeinfra catch-up";
}
