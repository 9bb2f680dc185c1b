using System.Text.RegularExpressions;
using EdgeInfra.Components.Model;
using EdgeInfra.Engine;
using EdgeInfra.Engine.Config;
using EdgeInfra.Automation.Releases;
using EdgeInfra.Lab;
using EdgeInfra.Lab.Config;
using EdgeInfra.Rollout.Gates;
using EdgeInfra.Rollout.Notifications;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.StackInputs.Config;

namespace EdgeInfra.Automation;

/// <summary>What <c>edgeinfra rehearse</c> is asked: the stack, the proposed release, and the simulator's scenario and seed.</summary>
/// <param name="Offline">Pin images to the digests recorded in the real stack's state rather than resolving their tags.</param>
internal sealed record RehearsalRequest(string? Cwd, string Stack, IReadOnlyList<string> Release, string? Scenario, ulong? Seed, bool Offline = false);

/// <summary>Runs one rehearsal: the stack's rings and inventory in a throw-away project on the lab simulator, brought
/// to the current release, then walked to the proposed one by the rollout's own ring walker on a virtual clock.</summary>
internal static partial class RehearsalRun
{
    private const string Verb = "edgeinfra rehearse";

    [GeneratedRegex("^[0-9A-Za-z][0-9A-Za-z.+_-]*$")]
    private static partial Regex VersionPattern();

    /// <exception cref="InputException">Every problem of the request at once (unknown app, malformed item, unknown scenario).</exception>
    public static async Task<RehearsalReport> RunAsync(RehearsalRequest request, TimeProvider engineTime, CancellationToken ct)
    {
        var source = ProjectLocator.Load(CliPaths.Cwd(request.Cwd));
        if (!File.Exists(source.StackFilePath(request.Stack)))
            throw new UsageException($"stack '{request.Stack}' has no Pulumi.{request.Stack}.yaml in {source.ProjectDir}");
        // The stack file as every verb reads it, so a broken one is refused with its file and line (exit 2) before the
        // rehearsal copies and rewrites it.
        StackConfigLoader.Load(source, request.Stack, new EnvironmentPassphraseSource());
        using var project = RehearsalProject.Create(source, request.Stack);
        // The throw-away project's caches (parsed inventory, rendered stores, schema-checked files) die with it: written
        // only while it exists, for the proposed release's load to reuse what the current one rendered, so none lands in
        // its directory after it is deleted.
        using var caches = DeferredWrites.Begin();
        if (request.Seed is { } seed) project.SetSeed(seed);
        // Images are pinned as `up` pins them: tags resolved in the stack's registries (the simulator's registry answers
        // hosts the stack does not configure, as in the lab), or with --offline the digests the real stack recorded.
        var pinning = request.Offline ? ImagePinning.Offline : ImagePinning.Resolve;
        var recorded = request.Offline ? FleetWorkspace.OpenBackend(source.ProjectDir, request.Stack, engineTime) : null;
        var current = await FleetWorkspace.LoadAsync(project.Dir, request.Stack, engineTime, pinning, ct, recorded);
        var lab = HubConnector.ReadLabSettings(current);
        var proposed = Validate(request, current.Model, lab);
        var settings = RolloutConfigReader.Load(current.Config);

        var clock = new LabClock(LabHubOptions.DefaultStartTime);
        await using var hub = await HubConnector.OpenAsync(current, clock, RolloutWalkerBuilder.StatusPolicy(settings),
            new HubOpenOptions(Scenario: request.Scenario, Throwaway: true), ct);
        // The rehearsal's state root is deleted when it ends: nothing in it needs to survive a power cut.
        var scope = Throwaway(RolloutScope.Of(current));
        var options = new WalkerOptions(settings.GateInterval, settings.HoldTimeout, scope.Actor);

        // The current release only has to land and settle: readiness alone, no bakes or windows, before the clock starts.
        var settle = new RingWalker(current.Model, new EngineRingApplier(current, scope.Source, engineTime, Verb), hub.Status,
            [new FleetReadinessGate()], scope.Paths, options with { HoldsStoresBack = false }, hub.Clock, NoTimeline.Instance, NoNotifier.Instance);
        RolloutResult settled;
        using (PhaseTimer.Start("rehearse: settle the current release")) settled = await settle.RunAsync(ct);
        if (settled.Outcome != RolloutOutcome.Completed)
            throw new RehearsalException($"the current release {settle.Release} does not settle in the simulator: {settled.Reason}");
        var before = hub.Lab!.Stats;
        var start = hub.Clock.GetUtcNow();

        project.WriteStack(proposed);
        using (PhaseTimer.Start("rehearse: keep the current release's render")) caches.Commit();
        var next = await FleetWorkspace.LoadAsync(project.Dir, request.Stack, engineTime, pinning, ct, recorded);
        var walker = await RolloutWalkerBuilder.BuildAsync(next, hub, Throwaway(RolloutScope.Of(next)), options, engineTime, Verb,
            NoTimeline.Instance, NoNotifier.Instance, ct);
        RolloutResult result;
        using (PhaseTimer.Start("rehearse: walk the proposed release")) result = await walker.RunAsync(ct);
        var after = hub.Lab.Stats;
        return RehearsalReport.From(request.Stack, current.Model, next.Model, lab, result, before, after, start) with { Images = next.Pins.Images };
    }

    private static RolloutScope Throwaway(RolloutScope scope) => scope with { Paths = scope.Paths with { Durable = false } };

    private static Dictionary<string, string> Validate(RehearsalRequest request, FleetModel model, LabSettings lab)
    {
        var problems = new List<string>();
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        var apps = model.Apps.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        if (request.Release.Count == 0) problems.Add("--release: give at least one app=version");
        foreach (var item in request.Release)
        {
            var parts = item.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || !VersionPattern().IsMatch(parts[1]))
                problems.Add($"--release '{item}': expected app=version (e.g. pos-app=2.5.0)");
            else if (!apps.Contains(parts[0]))
                problems.Add($"--release '{item}': unknown app '{parts[0]}'; apps are: {string.Join(", ", apps.Order(StringComparer.Ordinal))}");
            else if (!versions.TryAdd(parts[0], parts[1]))
                problems.Add($"--release '{item}': app '{parts[0]}' is given twice");
        }
        if (request.Scenario is { } s && !lab.Scenarios.ContainsKey(s))
            problems.Add($"--scenario '{s}': not defined in edge-infra:lab of stack {request.Stack} " +
                (lab.Scenarios.Count == 0 ? "(none are defined)" : $"(known: {string.Join(", ", lab.Scenarios.Keys.Order(StringComparer.Ordinal))})"));
        if (problems.Count > 0) throw new InputException(problems);
        return versions;
    }

    private sealed class NoTimeline : IRolloutTimeline
    {
        public static NoTimeline Instance { get; } = new();

        public void Write(TimelineEvent e) { }
    }
}

/// <summary>The current release of a stack does not settle in the simulator, so nothing can be predicted (exit 1).</summary>
public sealed class RehearsalException(string message) : Exception(message);
