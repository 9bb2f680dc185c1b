using EdgeInfra.Components.FleetSchema;
using EdgeInfra.Components.Lint;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Components.Resources;
using EdgeInfra.Engine;
using EdgeInfra.Engine.Config;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;
using EdgeInfra.Automation.Releases;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.StackInputs;

namespace EdgeInfra.Automation;

/// <summary>One stack of the project, loaded: its config, its validated fleet model, the desired ring stacks and the
/// state backend that holds what was last applied.</summary>
/// <remarks>
/// Everything a verb needs is derived here once, so preview, up, refresh and destroy all see the same model. Building
/// the desired stacks validates and lints the whole fleet, so a bad inventory fails before any state is touched.
/// Reading the recorded state (tens of MB of checkpoints at 10,000 stores) overlaps with parsing and rendering: both are
/// needed before the first plan and neither depends on the other.
/// </remarks>
internal sealed class FleetWorkspace
{
    private readonly Dictionary<string, DesiredStack>? _ringStacks;
    private readonly Task _stateLoaded;
    private readonly DateOnly _today;
    private readonly DesiredStack? _baseStack;

    private FleetWorkspace(ProjectFile project, StackConfig config, FileStateBackend backend, Task stateLoaded,
        LoadedFleet fleet, DesiredStack? baseStack, Dictionary<string, DesiredStack>? ringStacks, IReadOnlySet<string> paused, DateOnly today)
    {
        Paused = paused;
        _today = today;
        Project = project;
        Config = config;
        Backend = backend;
        _stateLoaded = stateLoaded;
        Fleet = fleet;
        _baseStack = baseStack;
        _ringStacks = ringStacks;
    }

    public ProjectFile Project { get; }
    public StackConfig Config { get; }
    public IStateBackend Backend { get; }
    public LoadedFleet Fleet { get; }
    public FleetModel Model => Fleet.Model;
    public string Stack => Model.Stack;

    /// <summary>The base stack <c>&lt;stack&gt;</c>: hub files shared by every ring.</summary>
    public DesiredStack BaseStack => _baseStack ?? throw NotRendered();

    /// <summary>Rings in rollout order.</summary>
    public IReadOnlyList<RingSpec> Rings => [.. Model.Rings.OrderBy(r => r.Order)];

    public DesiredStack RingStack(string ring)
    {
        _ = RingStackName(ring);
        return Rendered[ring];
    }

    /// <summary>The engine stack of <paramref name="ring"/> (<c>&lt;stack&gt;.&lt;ring&gt;</c>), rendered or not.</summary>
    /// <exception cref="UsageException">The stack has no such ring.</exception>
    public string RingStackName(string ring) => Model.Rings.Any(r => r.Name == ring)
        ? FleetStackBuilder.RingStackName(Stack, ring)
        : throw new UsageException($"unknown ring '{ring}' in stack '{Stack}'; rings are: {string.Join(", ", Rings.Select(r => r.Name))}");

    /// <summary>Every ring stack except <paramref name="ring"/>: the siblings a store can move to or from. The base
    /// stack (<paramref name="ring"/> null) holds no store, so it has none.</summary>
    public IReadOnlyList<DesiredStack> Siblings(string? ring) =>
        ring is null ? [] : [.. Rings.Where(r => r.Name != ring).Select(r => Rendered[r.Name])];

    /// <summary>The stores whose Cluster is rendered paused: offline stores awaiting catch-up, as the rollout host
    /// recorded them in <c>.edgeinfra/rollout/&lt;stack&gt;/catchup.json</c>. Every verb renders the same pauses, so an
    /// <c>up</c> by hand never releases them.</summary>
    public IReadOnlySet<string> Paused { get; private set; }

    /// <summary>Re-renders the ring stacks whose stores' pauses differ from <paramref name="paused"/> (the rollout host
    /// changed them since the workspace was loaded).</summary>
    /// <remarks>Not through the render cache: what is rendered here is not checked against Fleet's schemas, so it must
    /// not become an entry that a later run trusts as checked.</remarks>
    public void UsePaused(IReadOnlySet<string> paused)
    {
        if (paused.SetEquals(Paused)) return;
        var changed = paused.Except(Paused).Concat(Paused.Except(paused)).ToHashSet(StringComparer.Ordinal);
        foreach (var ring in Rings)
            if (Model.StoresInRing(ring.Name).Where(s => changed.Contains(s.Id)).ToList() is { Count: > 0 } stores)
                Rendered[ring.Name] = FleetStackBuilder.WithPauses(Rendered[ring.Name], Model, stores, paused);
        Paused = paused;
    }

    /// <summary>Renders <paramref name="ring"/> from <paramref name="model"/> (this stack's, with other releases) with
    /// <paramref name="paused"/> as its pauses; the workspace's own rendered stacks are left as they are.</summary>
    public DesiredStack RenderRing(string ring, FleetModel model, IReadOnlySet<string> paused) =>
        FleetStackBuilder.BuildRing(model, ring, Project.Name, _today, Config.GetSecret, paused);

    private Dictionary<string, DesiredStack> Rendered => _ringStacks ?? throw NotRendered();

    private static InvalidOperationException NotRendered() =>
        new("this workspace was loaded for reading only (LoadForReading): its stacks were not rendered");

    /// <summary>Waits until the recorded state of every stack of this fleet has been read into the backend's cache.</summary>
    public Task StateLoaded => _stateLoaded;

    /// <summary>The digests the release's images are pinned to in the rendered stacks, and tags that moved since their
    /// last apply; none for a workspace loaded without pinning.</summary>
    public ReleasePins Pins { get; private init; } = ReleasePins.None;

    /// <summary>Loads the project around <paramref name="cwd"/> and the named stack, and builds every ring stack, its
    /// app images unpinned: for verbs that apply nothing (history, export, refresh, destroy).</summary>
    public static FleetWorkspace Load(string? cwd, string stack, TimeProvider time)
    {
        var (project, config, backend) = Open(cwd, stack, time);
        var stateLoaded = Task.Run(() => ReadState(backend, stack));
        var (fleet, today) = LoadFleet(project, config, stack, time);
        return Build(project, config, backend, stateLoaded, fleet, today);
    }

    /// <summary>Loads the project and the named stack, pins the release's images to digests as
    /// <paramref name="pinning"/> says, and builds every ring stack with the pinned digests.</summary>
    /// <exception cref="ReleasePinException">A registry cannot be reached or lacks the tag, or <c>--offline</c> finds no
    /// recorded digest.</exception>
    /// <param name="recordedIn">Where the recorded digests are read (the rehearsal's: the real stack's state); default
    /// this project's state.</param>
    public static async Task<FleetWorkspace> LoadAsync(string? cwd, string stack, TimeProvider time, ImagePinning pinning, CancellationToken ct,
        IStateBackend? recordedIn = null)
    {
        var (project, config, backend) = Open(cwd, stack, time);
        var stateLoaded = Task.Run(() => ReadState(backend, stack), ct);
        var (fleet, today) = LoadFleet(project, config, stack, time);
        ReleasePins pins;
        using (PhaseTimer.Start("pin release images"))
        {
            await stateLoaded;
            pins = await ReleasePinner.PinAsync(config, project.ProjectDir, recordedIn ?? backend, fleet.Model, pinning, ct);
        }
        var pinned = fleet with { Model = PinnedImages.Apply(fleet.Model, pins.Digests) };
        return Build(project, config, backend, stateLoaded, pinned, today, pins);
    }

    private static FleetWorkspace Build(ProjectFile project, StackConfig config, FileStateBackend backend, Task stateLoaded, LoadedFleet fleet,
        DateOnly today, ReleasePins? pins = null)
    {
        var stack = fleet.Model.Stack;
        var model = fleet.Model;

        Func<string, string> resolveSecret = config.GetSecret;
        var paused = new CatchUpStore(RolloutPaths.For(project.StateRoot, stack)).Paused();
        var rings = model.Rings.OrderBy(r => r.Order).ToList();
        var schemaCache = ValidatedContentCache.Load(Path.Combine(project.StateRoot, "cache", "fleet-schema", stack), FleetSchemaValidator.Fingerprint);
        var renderCache = StoreRenderCache.Load(Path.Combine(project.StateRoot, "cache", "render", stack));
        var built = new (DesiredStack Desired, IReadOnlyList<string> Problems)[rings.Count];
        using (PhaseTimer.Start("render and lint rings"))
        {
            // Rings render independently; the render problems of every ring are reported together, in ring order.
            Parallel.For(0, rings.Count, i =>
            {
                try
                {
                    var desired = FleetStackBuilder.BuildRing(model, rings[i].Name, project.Name, today, resolveSecret, paused, renderCache);
                    built[i] = (desired, [.. SchemaProblems(desired, schemaCache, renderCache), .. Lint(desired, model.StoresInRing(rings[i].Name), model.Settings.Sharding.ShardIds)]);
                }
                catch (FleetRenderException e)
                {
                    built[i] = (null!, e.Problems);
                }
            });
        }
        var baseStack = FleetStackBuilder.BuildBase(model, project.Name);
        PhaseTimer.Report(() => $"stores rendered: {renderCache.Counts.Misses}, reused: {renderCache.Counts.Hits}");
        foreach (var key in renderCache.ReusedSchemaKeys()) schemaCache.Keep(key);
        var problems = SchemaProblems(baseStack, schemaCache, null).Concat(built.SelectMany(b => b.Problems)).Distinct(StringComparer.Ordinal).ToList();
        if (problems.Count > 0) throw new InputException(problems);
        DeferredWrites.Add(fleet.CommitWrites);
        DeferredWrites.Add(schemaCache.Save);
        DeferredWrites.Add(renderCache.Save);
        var ringStacks = rings.Select((r, i) => (r.Name, built[i].Desired)).ToDictionary(x => x.Name, x => x.Desired, StringComparer.Ordinal);
        return new FleetWorkspace(project, config, backend, stateLoaded, fleet, baseStack, ringStacks, paused, today) { Pins = pins ?? ReleasePins.None };
    }

    /// <summary>Loads the project and the stack's validated fleet model for a verb that only reads (status): no stack is
    /// rendered and no recorded state is read ahead, so <see cref="BaseStack"/> and <see cref="RingStack"/> throw.</summary>
    /// <remarks>Rendering and state are most of a load at 10,000 stores (hundreds of MB allocated, seconds of work) and
    /// status needs neither: the ring revisions it compares stores to come from the ring stacks' history.</remarks>
    public static FleetWorkspace LoadForReading(string? cwd, string stack, TimeProvider time)
    {
        var (project, config, backend) = Open(cwd, stack, time);
        var (fleet, today) = LoadFleet(project, config, stack, time);
        var paused = new CatchUpStore(RolloutPaths.For(project.StateRoot, stack)).Paused();
        DeferredWrites.Add(fleet.CommitWrites);
        return new FleetWorkspace(project, config, backend, Task.CompletedTask, fleet, null, null, paused, today);
    }

    /// <summary>The stack's state backend alone (its project and config read, not its inventory): for readers of the
    /// engine history that already know the ring names.</summary>
    internal static FileStateBackend OpenBackend(string? cwd, string stack, TimeProvider time) => Open(cwd, stack, time).Backend;

    private static (ProjectFile Project, StackConfig Config, FileStateBackend Backend) Open(string? cwd, string stack, TimeProvider time)
    {
        var project = ProjectLocator.Load(CliPaths.Cwd(cwd));
        StackConfig config;
        using (PhaseTimer.Start("load stack config")) config = StackConfigLoader.Load(project, stack, new EnvironmentPassphraseSource());
        return (project, config, new FileStateBackend(project.StateRoot, project.Name, time, config.Secrets));
    }

    private static (LoadedFleet Fleet, DateOnly Today) LoadFleet(ProjectFile project, StackConfig config, string stack, TimeProvider time)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        using (PhaseTimer.Start("load inventory and fleet model"))
            return (FleetLoader.Load(project.ProjectDir, config, today, Path.Combine(project.StateRoot, "cache", "inventory", stack)), today);
    }

    /// <summary>Reads the checkpoints of the base stack and every ring stack that has state, in parallel.</summary>
    private static async Task ReadState(FileStateBackend backend, string stack)
    {
        var names = backend.ListStacks().Where(s => s == stack || s.StartsWith(stack + ".", StringComparison.Ordinal));
        await Parallel.ForEachAsync(names, async (name, ct) =>
        {
            // Only a head start: a stack that fails to load here is read again by the planner, which reports why.
            try { await backend.LoadAsync(name, ct); }
            catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or InputException) { }
        });
    }

    private static IEnumerable<string> Lint(DesiredStack desired, IEnumerable<Store> ringStores, IReadOnlyCollection<string> shards) =>
        FleetLint.LintRendered(FleetRepoFiles(desired), ringStores, shards).Select(f => $"fleet lint: {f}");

    /// <summary>Every rendered Fleet object and fleet.yaml checked against Fleet's own schemas, so nothing Fleet would
    /// reject or silently ignore is ever committed; files that passed before unchanged are not validated again.</summary>
    /// <remarks>Files are validated in parallel within a ring too: one ring can hold half of the fleet's Clusters. A
    /// Cluster taken from the render cache passed under these schemas in the run that cached it.</remarks>
    private static IEnumerable<string> SchemaProblems(DesiredStack desired, ValidatedContentCache cache, StoreRenderCache? rendered) =>
        FleetRepoFiles(desired).Where(f => rendered?.IsReused(f.Content) != true).AsParallel().AsOrdered()
            .SelectMany(f => FleetSchemaValidator.ValidateFile(f, cache)).Select(p => $"fleet schema: {p}").ToList();

    private static IEnumerable<RenderedFile> FleetRepoFiles(DesiredStack desired) => desired.Resources
        .Where(r => r.Provider == FleetProviders.FleetRepo)
        .Select(r => new RenderedFile(r.Inputs[FleetResourceKeys.Path], r.Inputs[FleetResourceKeys.Content]));
}
