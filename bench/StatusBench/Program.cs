using System.Diagnostics;
using System.Globalization;
using EdgeInfra.Engine.Config;
using EdgeInfra.Lab;
using EdgeInfra.Providers.Hub;
using EdgeInfra.Rollout.Status;
using EdgeInfra.Stacks;

// Usage: StatusBench <project dir> <stack> [virtual minutes to run the lab first]
// Runs the lab simulator over the project's fleet repo on a virtual clock (so Clusters check in and BundleDeployments
// roll out), then times FleetStatusReader.ReadAsync against its HTTP API: every page of Clusters, GitRepos, Bundles and
// BundleDeployments through KubernetesClient, and the classification of every store.
var projectDir = Path.GetFullPath(args[0]);
var stack = args[1];
var minutes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 120;

var project = ProjectLocator.Load(projectDir);
var config = StackConfigLoader.Load(project, stack, new EnvironmentPassphraseSource());
var fleet = FleetLoader.Load(project.ProjectDir, config, DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime));
var clock = new LabClock(LabHubOptions.DefaultStartTime, autoAdvance: false);
var stateDir = Directory.CreateTempSubdirectory("edgeinfra-statusbench-").FullName;
try
{
    await using var hub = await LabHub.StartAsync(new LabHubOptions
    {
        StateDir = stateDir,
        FleetRepoPath = fleet.Repo.Url,
        Branch = fleet.Repo.Branch,
        Clock = clock,
        MirrorZones = fleet.Model.Zones.Select(z => z.Name).ToHashSet(StringComparer.Ordinal),
    });
    var simulate = Stopwatch.StartNew();
    for (var m = 0; m < minutes; m++)
    {
        clock.Advance(TimeSpan.FromMinutes(1));
        hub.Sync();
    }
    Console.WriteLine($"simulated {minutes} virtual minutes of {fleet.Model.Stores.Length} stores in {simulate.Elapsed.TotalSeconds:0.0} s");

    using var client = FleetHubClient.ForUrl(hub.HubUri, TimeSpan.FromSeconds(60));
    // Every ring opened at the commit Fleet staged for it (the bundles' commit label).
    var revisions = (await client.ListBundlesAsync(fleet.Model.Settings.Workspace, null, CancellationToken.None))
        .Where(b => b.Metadata.Label(FleetLabels.RepoName) is not null && b.Metadata.Label(FleetLabels.Commit) is not null)
        .GroupBy(b => b.Metadata.Label(FleetLabels.RepoName)!)
        .ToDictionary(g => g.Key, g => g.First().Metadata.Label(FleetLabels.Commit)!, StringComparer.Ordinal);
    var reader = new FleetStatusReader(client, FleetStatusPolicy.Default);
    var now = clock.GetUtcNow();

    var snapshot = await client.ReadSnapshotAsync(fleet.Model.Settings.Workspace, CancellationToken.None);
    Console.WriteLine($"hub: {snapshot.Clusters.Count} clusters, {snapshot.Bundles.Count} bundles, {snapshot.BundleDeployments.Count} bundle deployments, {snapshot.GitRepos.Count} gitrepos");
    var times = new List<double>();
    FleetStatus? status = null;
    for (var i = 0; i < 6; i++)
    {
        var sw = Stopwatch.StartNew();
        status = await reader.ReadAsync(fleet.Model, revisions, now, CancellationToken.None);
        if (i > 0) times.Add(sw.Elapsed.TotalMilliseconds);
        if (!status.Reachable) throw new InvalidOperationException(status.Error);
    }
    times.Sort();
    var fetches = new List<double>();
    for (var i = 0; i < 5; i++)
    {
        var sw = Stopwatch.StartNew();
        await client.ReadSnapshotAsync(fleet.Model.Settings.Workspace, CancellationToken.None);
        fetches.Add(sw.Elapsed.TotalMilliseconds);
    }
    fetches.Sort();
    var counts = string.Join(", ", status!.Stores.Values.GroupBy(s => s.State).OrderBy(g => g.Key).Select(g => $"{g.Key.ToWire()} {g.Count()}"));
    Console.WriteLine($"stores: {counts}");
    Console.WriteLine($"status read + classification of {status.Stores.Count} stores: median {times[times.Count / 2]:0} ms, min {times[0]:0} ms, max {times[^1]:0} ms (5 runs after 1 warm-up); of which the hub lists alone: median {fetches[2]:0} ms");
}
finally
{
    Directory.Delete(stateDir, recursive: true);
}
