using EdgeInfra.Components.Lint;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Resources;
using EdgeInfra.Engine;
using EdgeInfra.Engine.Config;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Stacks;

namespace EdgeInfra.Cli.Operations;

/// <summary>One stack of the project, loaded: its config, its validated fleet model and the desired ring stacks.</summary>
/// <remarks>
/// Everything a verb needs is derived here once, so preview, up, refresh and destroy all see the same model. Building
/// the desired stacks validates and lints the whole fleet, so a bad inventory fails before any state is touched.
/// </remarks>
internal sealed class FleetWorkspace
{
    private readonly Dictionary<string, DesiredStack> _ringStacks;

    private FleetWorkspace(ProjectFile project, StackConfig config, LoadedFleet fleet, DesiredStack baseStack,
        Dictionary<string, DesiredStack> ringStacks)
    {
        Project = project;
        Config = config;
        Fleet = fleet;
        BaseStack = baseStack;
        _ringStacks = ringStacks;
    }

    public ProjectFile Project { get; }
    public StackConfig Config { get; }
    public LoadedFleet Fleet { get; }
    public FleetModel Model => Fleet.Model;
    public string Stack => Model.Stack;

    /// <summary>The base stack <c>&lt;stack&gt;</c>: hub files shared by every ring.</summary>
    public DesiredStack BaseStack { get; }

    /// <summary>Rings in rollout order.</summary>
    public IReadOnlyList<RingSpec> Rings => [.. Model.Rings.OrderBy(r => r.Order)];

    public DesiredStack RingStack(string ring) => _ringStacks.TryGetValue(ring, out var s)
        ? s
        : throw new UsageException($"unknown ring '{ring}' in stack '{Stack}'; rings are: {string.Join(", ", Rings.Select(r => r.Name))}");

    /// <summary>Every ring stack except <paramref name="ring"/>: the siblings a store can move to or from.</summary>
    public IReadOnlyList<DesiredStack> Siblings(string? ring) =>
        [.. Rings.Where(r => r.Name != ring).Select(r => _ringStacks[r.Name])];

    /// <summary>Loads the project around <paramref name="cwd"/> and the named stack, and builds every ring stack.</summary>
    public static FleetWorkspace Load(string? cwd, string stack, TimeProvider time)
    {
        var project = ProjectLocator.Load(CliPaths.Cwd(cwd));
        var config = StackConfigLoader.Load(project, stack, new EnvironmentPassphraseSource());
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var fleet = FleetLoader.Load(project.ProjectDir, config, today);
        var model = fleet.Model;

        Func<string, string> resolveSecret = config.GetSecret;
        var problems = new List<string>();
        var rings = new Dictionary<string, DesiredStack>(StringComparer.Ordinal);
        foreach (var ring in model.Rings.OrderBy(r => r.Order))
        {
            var desired = FleetStackBuilder.BuildRing(model, ring.Name, project.Name, today, resolveSecret);
            rings[ring.Name] = desired;
            problems.AddRange(Lint(desired, model.StoresInRing(ring.Name)));
        }
        if (problems.Count > 0) throw new InputException(problems);
        return new FleetWorkspace(project, config, fleet, FleetStackBuilder.BuildBase(model, project.Name), rings);
    }

    private static IEnumerable<string> Lint(DesiredStack desired, IEnumerable<Store> ringStores)
    {
        var files = desired.Resources
            .Where(r => r.Provider == FleetProviders.FleetRepo)
            .Select(r => new Components.Rendering.RenderedFile(r.Inputs[FleetResourceKeys.Path], r.Inputs[FleetResourceKeys.Content]));
        return FleetLint.LintRendered(files, ringStores).Select(f => $"fleet lint: {f}");
    }
}
