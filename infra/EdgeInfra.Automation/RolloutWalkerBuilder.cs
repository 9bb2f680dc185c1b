using EdgeInfra.Automation.Releases;
using EdgeInfra.Components.Model;
using EdgeInfra.Providers.Registry;
using EdgeInfra.Rollout.Gates;
using EdgeInfra.Rollout.Gates.Metrics;
using EdgeInfra.Rollout.Notifications;
using EdgeInfra.Rollout.Rollback;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.StackInputs.Config;

namespace EdgeInfra.Automation;

/// <summary>Composes the ring walker of a stack as <c>rollout</c> runs it: the engine ring applier, the hub's status
/// reader and the gates (readiness, bake, maintenance window, freeze and the stack's metric gates).</summary>
/// <remarks>Shared by <c>rollout</c> and <c>rehearse</c>, so a rehearsal walks exactly the walker a rollout does.</remarks>
internal static class RolloutWalkerBuilder
{
    /// <param name="engineTime">The engine's clock: its lock leases are about real processes, so the real one.</param>
    /// <param name="verb">The verb the applier records in commit trailers.</param>
    public static async Task<RingWalker> BuildAsync(FleetWorkspace ws, HubConnector hub, RolloutScope scope, WalkerOptions options,
        TimeProvider engineTime, string verb, IRolloutTimeline timeline, INotifier notifier, CancellationToken ct)
    {
        var applier = new EngineRingApplier(ws, scope.Source, engineTime, verb);
        var changeClass = await ChangeClassAsync(ws, applier, ct);
        IReadOnlyList<IGate> gates =
        [
            new FleetReadinessGate(),
            new BakeGate(),
            new MaintenanceWindowGate(changeClass),
            new FreezeGate(scope.Freezes),
            .. Mirror(ws, hub, engineTime),
            .. MetricGates.Create(hub.Health, hub.Metrics),
        ];
        var catchUp = RolloutConfigReader.Load(ws.Config).CatchUp;
        return new RingWalker(ws.Model, applier, hub.Status, gates, scope.Paths, options with { CatchUpClasses = catchUp }, hub.Clock, timeline, notifier)
        {
            Verifier = Signatures(ws, hub, verb),
        };
    }

    /// <summary>The release's signature check before each ring is applied (<c>edge-infra:release.verify</c>); a rollout's
    /// only: a rehearsal applies nothing real and a catch-up pass re-applies what its ring was applied at.</summary>
    private static ReleaseSignatureVerifier? Signatures(FleetWorkspace ws, HubConnector hub, string verb)
    {
        if (verb != Verbs.Rollout || ReleaseConfigReader.Load(ws.Config, ws.Project.ProjectDir).Count == 0) return null;
        // Registry requests are real network I/O: their retries run on the system clock, whatever clock the walk runs on.
        return ReleaseSignatureVerifier.For(ws, hub.Own(new RegistryClientPool(new RegistryClientOptions(Attempts: 3), TimeProvider.System)));
    }

    /// <summary>The mirror gate over the real registries of the stack's zones, with their credentials read now (a
    /// missing secret stops the rollout before it starts). None in the lab, whose mirrors are simulated (pull time and
    /// WAN bytes), or when <c>edge-infra:rollout.mirrorGate</c> is false.</summary>
    private static IEnumerable<IGate> Mirror(FleetWorkspace ws, HubConnector hub, TimeProvider time)
    {
        if (hub.IsLab || !RolloutConfigReader.Load(ws.Config).MirrorGate) return [];
        var used = ws.Model.Stores.Select(s => s.RegistryZone).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var pool = hub.Own(new RegistryClientPool(null, time));
        return [new MirrorGate(MirrorAccess.Open(ws.Config, ws.Model, pool, ws.Model.Zones.Where(z => used.Contains(z.Name))))];
    }

    /// <summary>The walker's offline thresholds and failure deadline from <c>edge-infra:rollout</c>.</summary>
    public static Rollout.Status.FleetStatusPolicy StatusPolicy(RolloutSettings settings) => new(
        [.. settings.OfflineThresholds.Select(o => new Rollout.Status.OfflineThreshold(o.Label, o.Value, o.After))],
        settings.OfflineAfter, settings.FailureDeadline);

    /// <summary>The most restrictive change class among the apps whose version differs from what some ring runs now.</summary>
    private static async Task<ChangeClass> ChangeClassAsync(FleetWorkspace ws, EngineRingApplier applier, CancellationToken ct)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ring in ws.Rings)
        {
            var current = await applier.FindVersionAsync(ring.Name, LastKnownGood.IsCurrent, ct);
            foreach (var app in ws.Model.Apps)
                if (current?.Releases.Versions.GetValueOrDefault(app.Name) != app.Version) changed.Add(app.Name);
        }
        return ws.Model.Apps.Where(a => changed.Contains(a.Name)).Select(a => a.ChangeClass).DefaultIfEmpty(ChangeClass.Immediate).Max();
    }
}
