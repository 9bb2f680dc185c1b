using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using EdgeInfra.Engine.Config;
using EdgeInfra.Lab;
using EdgeInfra.Providers.FleetRepo;
using EdgeInfra.Providers.Hub;
using EdgeInfra.Rollout.Status;
using EdgeInfra.StackInputs;
using k8s;

// Usage: StatusBench <project dir> <stack> [virtual minutes to run the lab first] [lab state dir] [page size]
// Runs the lab simulator over the project's fleet repo on a virtual clock (so Clusters check in and BundleDeployments
// roll out), then times FleetStatusReader.ReadAsync against its HTTP API: every page of Clusters, GitRepos, Bundles and
// BundleDeployments, and the classification of every store. Each of the 5 timed rounds (after a warm-up) also splits the
// read: the hub's own serialising, the client's wait for each answer and its reading + parsing of the body, the classification alone, and the same lists read
// the way the client did before (KubernetesClient's typed custom-object lists) for comparison.
// A lab state dir is kept, and when it already holds a state the simulation is skipped (iterating on the reader).
var projectDir = Path.GetFullPath(args[0]);
var stack = args[1];
var minutes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 120;
var keptState = args.Length > 3 && args[3] != "-" ? Path.GetFullPath(args[3]) : null;
var pageSize = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : FleetHubClient.DefaultPageSize;

var project = ProjectLocator.Load(projectDir);
var config = StackConfigLoader.Load(project, stack, new EnvironmentPassphraseSource());
var fleet = FleetLoader.Load(project.ProjectDir, config, DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime));
var workspace = fleet.Model.Settings.Workspace;
var clock = new LabClock(LabHubOptions.DefaultStartTime, autoAdvance: false);
var reuse = keptState is not null && Directory.Exists(keptState) && Directory.EnumerateFileSystemEntries(keptState).Any();
var stateDir = keptState ?? Directory.CreateTempSubdirectory("edgeinfra-statusbench-").FullName;
Directory.CreateDirectory(stateDir);
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
    if (reuse)
    {
        Console.WriteLine($"lab state reused from {stateDir} (at {clock.GetUtcNow():u})");
    }
    else
    {
        var simulate = Stopwatch.StartNew();
        for (var m = 0; m < minutes; m++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            hub.Sync();
        }
        Console.WriteLine($"simulated {minutes} virtual minutes of {fleet.Model.Stores.Length} stores in {simulate.Elapsed.TotalSeconds:0.0} s");
    }

    using var client = FleetHubClient.ForUrl(hub.HubUri, TimeSpan.FromSeconds(60), pageSize);
    using var kubernetes = new Kubernetes(new KubernetesClientConfiguration { Host = hub.HubUri.ToString().TrimEnd('/') });
    // Every ring opened at the commit Fleet staged for it (the bundles' commit label).
    var revisions = (await client.ListBundlesAsync(workspace, null, CancellationToken.None))
        .Where(b => b.Metadata.Label(FleetLabels.RepoName) is not null && b.Metadata.Label(FleetLabels.Commit) is not null)
        .GroupBy(b => b.Metadata.Label(FleetLabels.RepoName)!)
        .ToDictionary(g => g.Key, g => g.First().Metadata.Label(FleetLabels.Commit)!, StringComparer.Ordinal);
    var now = clock.GetUtcNow();

    var snapshot = await client.ReadSnapshotAsync(workspace, CancellationToken.None);
    var classifyOnly = CannedReader(snapshot);
    Console.WriteLine($"page size {pageSize}; hub: {snapshot.Clusters.Count} clusters, {snapshot.Bundles.Count} bundles, {snapshot.BundleDeployments.Count} bundle deployments, {snapshot.GitRepos.Count} gitrepos");

    var total = new List<double>();
    var serverRender = new List<double>();
    var http = new List<double>();
    var parse = new List<double>();
    var classify = new List<double>();
    var before = new List<double>();
    var cpu = new List<double>();
    FleetStatus? status = null;
    var process = Process.GetCurrentProcess();
    for (var i = 0; i < 6; i++)
    {
        // A fresh client per round, as `edgeinfra status` is a fresh process: a client that read the hub before hands
        // out again the objects whose resourceVersion did not move, and the lab does not move between rounds.
        using var roundClient = FleetHubClient.ForUrl(hub.HubUri, TimeSpan.FromSeconds(60), pageSize);
        var reader = new FleetStatusReader(roundClient, FleetStatusPolicy.Default);
        var rendered = RenderMs(hub);
        var timings = roundClient.Timings;
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var (gen0, gen2, allocated) = (GC.CollectionCount(0), GC.CollectionCount(2), GC.GetTotalAllocatedBytes());
        var sw = Stopwatch.StartNew();
        status = await reader.ReadAsync(fleet.Model, revisions, now, CancellationToken.None);
        var elapsed = sw.Elapsed.TotalMilliseconds;
        process.Refresh();
        // The whole process: the client's reading and parsing, the classification and the in-process lab hub's serialising.
        var cpuMs = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        var gcs = $"GC {GC.CollectionCount(0) - gen0} gen0 / {GC.CollectionCount(2) - gen2} gen2, {(GC.GetTotalAllocatedBytes() - allocated) / 1e6:0} MB allocated";
        if (!status.Reachable) throw new InvalidOperationException(status.Error);
        var read = roundClient.Timings.Since(timings);
        var serverMs = RenderMs(hub) - rendered;

        sw.Restart();
        await classifyOnly.ReadAsync(fleet.Model, revisions, now, CancellationToken.None);
        var classifyMs = sw.Elapsed.TotalMilliseconds;

        sw.Restart();
        var old = await ReadBeforeAsync(kubernetes, workspace, pageSize);
        var beforeMs = sw.Elapsed.TotalMilliseconds;
        if (old != snapshot.Clusters.Count + snapshot.GitRepos.Count + snapshot.Bundles.Count + snapshot.BundleDeployments.Count)
            throw new InvalidOperationException($"the KubernetesClient lists read {old} objects");

        if (i == 0) continue;
        total.Add(elapsed);
        cpu.Add(cpuMs);
        serverRender.Add(serverMs);
        http.Add(read.Answer.TotalMilliseconds);
        parse.Add(read.Body.TotalMilliseconds);
        classify.Add(classifyMs);
        before.Add(beforeMs);
        Console.WriteLine($"  round {i}: status read {elapsed:0} ms, CPU {cpuMs:0} ms, {gcs} ({read.Pages} pages, {read.Bytes / 1e6:0.0} MB; summed over pages: waiting for the answer {read.Answer.TotalMilliseconds:0} ms " +
                          $"(the lab hub serialising {serverMs:0} ms), reading + parsing the body {read.Body.TotalMilliseconds:0} ms); classification alone {classifyMs:0} ms; " +
                          $"same lists through KubernetesClient's typed lists {beforeMs:0} ms");
    }
    var counts = string.Join(", ", status!.Stores.Values.GroupBy(s => s.State).OrderBy(g => g.Key).Select(g => $"{g.Key.ToWire()} {g.Count()}"));
    Console.WriteLine($"stores: {counts}");
    Console.WriteLine($"status read + classification of {status.Stores.Count} stores: median {Median(total):0} ms, min {total.Min():0} ms, max {total.Max():0} ms (5 runs after 1 warm-up); process CPU (user + sys, hub included) median {Median(cpu):0} ms");
    Console.WriteLine($"  medians: waiting for the answer {Median(http):0} ms (the lab hub serialising {Median(serverRender):0} ms), reading + parsing {Median(parse):0} ms, classification {Median(classify):0} ms; " +
                      $"the hub lists through KubernetesClient's typed lists (before): {Median(before):0} ms");
}
finally
{
    if (keptState is null) Directory.Delete(stateDir, recursive: true);
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

// The lab hub's cumulative serialising time, from its EDGEINFRA_TIMINGS line.
static double RenderMs(LabHub hub) =>
    double.Parse(Regex.Match(hub.Timings, @"serialise (\d+) ms").Groups[1].Value, CultureInfo.InvariantCulture);

// A status reader over a snapshot already in memory: the classification alone (the reader's test constructor).
static IFleetStatusReader CannedReader(HubSnapshot snapshot)
{
    var ctor = typeof(FleetStatusReader).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic,
        [typeof(Func<string, CancellationToken, Task<HubSnapshot>>), typeof(FleetStatusPolicy), typeof(IRingContent)])
        ?? throw new InvalidOperationException("FleetStatusReader has no snapshot constructor");
    Func<string, CancellationToken, Task<HubSnapshot>> read = (_, _) => Task.FromResult(snapshot);
    return (IFleetStatusReader)ctor.Invoke([read, FleetStatusPolicy.Default, null]);
}

// The four lists as FleetHubClient read them before: KubernetesClient's typed custom-object lists, page by page, the
// kinds concurrently. Returns how many objects were read.
static async Task<int> ReadBeforeAsync(Kubernetes kubernetes, string workspace, int pageSize)
{
    async Task<int> List<T>(string? ns, string plural, string? selector)
    {
        var count = 0;
        string? next = null;
        do
        {
            var page = ns is null
                ? await kubernetes.CustomObjects.ListClusterCustomObjectAsync<HubList<T>>(FleetHubClient.Group, FleetHubClient.Version, plural,
                    continueParameter: next, labelSelector: selector, limit: pageSize)
                : await kubernetes.CustomObjects.ListNamespacedCustomObjectAsync<HubList<T>>(FleetHubClient.Group, FleetHubClient.Version, ns, plural,
                    continueParameter: next, labelSelector: selector, limit: pageSize);
            count += page.Items?.Count ?? 0;
            next = page.Metadata?.Continue;
        }
        while (!string.IsNullOrEmpty(next));
        return count;
    }
    var counts = await Task.WhenAll(
        List<HubCluster>(workspace, "clusters", null),
        List<HubGitRepo>(workspace, "gitrepos", null),
        List<HubBundle>(workspace, "bundles", null),
        List<HubBundleDeployment>(null, "bundledeployments", $"{FleetLabels.BundleNamespace}={workspace}"));
    return counts.Sum();
}
