// Walks pos-app through every ring of a generated lab fleet on the simulated hub and times it (wall and virtual).
// Usage: dotnet run --project bench/LabBench -c Release -- [--walker | --sim] [--shards N] [--throughput T] [stores...]
//        (default: both, 500 2500; --shards: edge-infra:fleet.shards, --throughput: the lab's agents.controllerThroughput,
//        bundle targets each Fleet controller evaluates per second)
// Per size: a fresh copy of the lab project (500: the shipped inventory; else generated, seed 7, rings assigned), the first release
// rolled out ring by ring (`up --ring R` by the CLI's apphost, then the virtual clock stepped 30 s at a time and the hub read
// over HTTP with KubernetesClient until every store of the ring runs the new deployment and is Ready), then a
// release bump walked the same way. Bakes are skipped on the virtual clock at no wall cost. It measures the
// simulator plus the CLI's `up`; the real walker adds its gates on top.
using System.Diagnostics;
using System.Text.Json;
using EdgeInfra.Lab;
using EdgeInfra.Lab.Config;
using k8s;

var only = args.FirstOrDefault(a => a is "--walker" or "--sim");
var shards = Option("--shards");
var throughput = Option("--throughput");
var numbers = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || args[i - 1] is not ("--shards" or "--throughput"))).ToArray();
string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var sizes = numbers.Length > 0 ? numbers.Select(int.Parse).ToArray() : [500, 2500];
var root = FindRoot();
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {LoadAverage()}");
foreach (var n in sizes)
{
    if (only != "--sim") await WalkerAsync(root, n, shards, throughput);
    if (only != "--walker") await RunAsync(root, n);
}

// The real rollout host (`edgeinfra rollout --stack lab`, every gate) on a fresh copy, timed as a whole process with
// EDGEINFRA_TIMINGS=1 for its split; then, from the audit log and the simulator's apply records, how much of the simulated
// timeline is the walker's own (gate-interval granularity) beyond the bakes and Fleet propagation.
static async Task WalkerAsync(string root, int stores, string? shards, string? throughput)
{
    var dir = await ProjectAsync(root, stores);
    Shard(dir, shards, throughput);
    var wall = Stopwatch.StartNew();
    var (_, stderr) = await CliOutput(["rollout", "--stack", "lab", "--cwd", dir], timings: true, cpuTime: true);
    var total = wall.Elapsed;
    // GNU time's line: the process's CPU time, which load on a shared machine inflates far less than wall time.
    var cpu = stderr.Split('\n').LastOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal))?.Split(' ') is { Length: 3 } c
        ? double.Parse(c[1], System.Globalization.CultureInfo.InvariantCulture) + double.Parse(c[2], System.Globalization.CultureInfo.InvariantCulture)
        : double.NaN;
    var timings = stderr.Split('\n').Where(l => l.StartsWith("timing: ", StringComparison.Ordinal)).Select(l => l["timing: ".Length..]).ToList();
    var walk = Ms(timings, "walk rings: ");
    var applies = timings.Where(t => t.StartsWith("apply ring ", StringComparison.Ordinal)).Sum(t => Ms([t], t[..(t.IndexOf(':') + 2)]));
    var hubLine = timings.FirstOrDefault(t => t.StartsWith("lab hub: ", StringComparison.Ordinal)) ?? "lab hub: (no timings)";
    Console.WriteLine($"== {stores} stores: `edgeinfra rollout --stack lab` (walker, every gate), shards {shards ?? "none"}, controller throughput {throughput ?? "unbounded"}");
    Console.WriteLine($"  {total.TotalSeconds:0.0} s wall ({cpu:0.0} s CPU, load average {LoadAverage()}): walk rings {walk / 1000.0:0.0} s, of which ring applies (engine, git) {applies / 1000.0:0.0} s; " +
                      $"start-up and load {(total.TotalMilliseconds - walk) / 1000.0:0.0} s");
    Console.WriteLine($"  {hubLine}");

    var audit = JsonDocument.Parse((await CliOutput(["audit", "--stack", "lab", "--json", "--cwd", dir])).Stdout).RootElement.GetProperty("entries").EnumerateArray().ToList();
    DateTimeOffset At(JsonElement e) => e.GetProperty("time").GetDateTimeOffset();
    string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    var start = At(audit.First(e => Str(e, "action") == "start"));
    var end = At(audit.Last(e => Str(e, "action") is "complete" or "rollback" or "hold-timeout"));
    var settings = LabConfigReader.ReadStackFile(Path.Combine(dir, "Pulumi.lab.yaml"));
    var shardIds = shards is null ? [] : Enumerable.Range(0, int.Parse(shards, System.Globalization.CultureInfo.InvariantCulture)).Select(i => $"shard{i}").ToArray();
    await using var lab = await LabHub.StartAsync(new LabHubOptions
    {
        StateDir = LabHub.StateDirFor(dir, "lab"), FleetRepoPath = Path.Combine(dir, ".edgeinfra", "fleet.git"), Settings = settings, ControllerShards = shardIds,
        ReadOnly = true, Serve = false, Clock = new LabClock(LabHubOptions.DefaultStartTime, autoAdvance: false),
    });
    var applyRecords = lab.Stats.Applies;
    TimeSpan bakes = TimeSpan.Zero, propagation = TimeSpan.Zero;
    foreach (var promote in audit.Where(e => Str(e, "action") == "promote"))
    {
        var ring = Str(promote, "ring")!;
        var applied = At(audit.Last(e => Str(e, "action") == "apply" && Str(e, "ring") == ring && At(e) <= At(promote)));
        var ready = applyRecords.Where(a => RingBundle(a.Bundle, ring, shardIds) && a.ReadyAt is { } r && r >= applied && r <= At(promote))
            .Select(a => a.ReadyAt!.Value).DefaultIfEmpty(applied).Max();
        var bake = RingBake(ring);
        bakes += bake;
        propagation += ready - applied;
        Console.WriteLine($"  {ring,-16} Fleet propagation {(ready - applied).TotalMinutes,5:0.0} min, bake {bake.TotalMinutes,5:0} min, walker's own {(At(promote) - ready - bake).TotalMinutes,4:0.0} min");
    }
    var simulated = end - start;
    var rest = simulated - bakes - propagation;
    Console.WriteLine($"  simulated {simulated.TotalMinutes:0} min = bakes {bakes.TotalMinutes:0} + Fleet propagation {propagation.TotalMinutes:0.0} + walker {rest.TotalMinutes:0.0} min " +
                      $"({rest / simulated:P1} of the timeline, {(bakes + propagation > TimeSpan.Zero ? rest / (bakes + propagation) : 0):P1} beyond bakes and propagation)");
    try { Directory.Delete(dir, recursive: true); } catch (IOException) { }

    // A ring's bundles are <app>-<ring>, or <app>-<ring>-<shard> in a sharded stack.
    static bool RingBundle(string bundle, string ring, string[] shardIds) =>
        bundle.EndsWith("-" + ring, StringComparison.Ordinal) || shardIds.Any(s => bundle.EndsWith($"-{ring}-{s}", StringComparison.Ordinal));
    static TimeSpan RingBake(string ring) => ring switch { "retail-region-1" => TimeSpan.FromMinutes(30), "retail-region-2" => TimeSpan.FromHours(2), _ => TimeSpan.Zero };
    static long Ms(List<string> lines, string prefix) =>
        lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => long.Parse(l[prefix.Length..].Replace(" ms", ""), System.Globalization.CultureInfo.InvariantCulture)).Sum();
}

// Puts the copy on controller shards (edge-infra:fleet.shards) and bounds each controller's reconcile throughput.
static void Shard(string dir, string? shards, string? throughput)
{
    var config = Path.Combine(dir, "Pulumi.lab.yaml");
    var text = File.ReadAllText(config);
    if (shards is not null) text = text.Replace("    pollingInterval: 15s\n", $"    pollingInterval: 15s\n    shards: {shards}\n");
    if (throughput is not null) text = text.Replace("      readyTime: 15s", $"      controllerThroughput: {throughput}\n      readyTime: 15s");
    File.WriteAllText(config, text);
}

static async Task<string> ProjectAsync(string root, int stores)
{
    var dir = Directory.CreateTempSubdirectory($"edgeinfra-labbench-{stores}-").FullName;
    foreach (var f in new[] { "Pulumi.yaml", "Pulumi.lab.yaml" }) File.Copy(Path.Combine(root, f), Path.Combine(dir, f));
    CopyDir(Path.Combine(root, "stacks", "apps"), Path.Combine(dir, "stacks", "apps"));
    if (stores == 500)
    {
        CopyDir(Path.Combine(root, "stacks", "lab"), Path.Combine(dir, "stacks", "lab")); // the shipped lab inventory
    }
    else
    {
        await Cli("inventory", "generate", "--stack", "lab", "--stores", stores.ToString(), "--seed", "7", "--cwd", dir);
        await Cli("rings", "assign", "--stack", "lab", "--cwd", dir);
        // The generated inventory has no store-budapest, which the lab's one site override names.
        var config = Path.Combine(dir, "Pulumi.lab.yaml");
        File.WriteAllText(config, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(config),
            @"    - name: pos-budapest-debug\n(      .*\n)+", ""));
    }
    return dir;
}

static async Task RunAsync(string root, int stores)
{
    var dir = await ProjectAsync(root, stores);
    var settings = LabConfigReader.ReadStackFile(Path.Combine(dir, "Pulumi.lab.yaml"));
    var rings = new[] { ("retail-region-1", TimeSpan.FromMinutes(30)), ("retail-region-2", TimeSpan.FromHours(2)), ("all", TimeSpan.Zero) };

    var clock = new LabClock(LabHubOptions.DefaultStartTime, autoAdvance: false);
    await using var hub = await LabHub.StartAsync(new LabHubOptions
    {
        StateDir = LabHub.StateDirFor(dir, "lab"), FleetRepoPath = Path.Combine(dir, ".edgeinfra", "fleet.git"), Clock = clock, Settings = settings,
    });
    using var kube = new Kubernetes(new KubernetesClientConfiguration { Host = hub.HubUri.ToString() });
    Console.WriteLine($"== {stores} stores");
    foreach (var (release, label) in new[] { ("2.4.1", "first release"), ("2.5.0", "release bump") })
    {
        if (release != "2.4.1") await Cli("config", "set", "--stack", "lab", "--path", "apps.pos-app.version", release, "--cwd", dir);
        var wall = Stopwatch.StartNew();
        var virtualStart = clock.GetUtcNow();
        long upMs = 0, hubReads = 0, advanceMs = 0, readMs = 0;
        foreach (var (ring, bake) in rings)
        {
            var up = Stopwatch.StartNew();
            await Cli("up", "--stack", "lab", "--ring", ring, "--yes", "--cwd", dir);
            upMs += up.ElapsedMilliseconds;
            var ringStart = clock.GetUtcNow();
            while (true)
            {
                var step = Stopwatch.StartNew();
                clock.Advance(TimeSpan.FromSeconds(30));
                advanceMs += step.ElapsedMilliseconds;
                step.Restart();
                hubReads++;
                var list = await kube.CustomObjects.ListClusterCustomObjectAsync<JsonElement>("fleet.cattle.io", "v1alpha1", "bundledeployments",
                    labelSelector: $"fleet.cattle.io/bundle-name=pos-app-{ring}");
                var items = list.GetProperty("items").EnumerateArray().ToList();
                var expected = await RingSize(kube, ring);
                readMs += step.ElapsedMilliseconds;
                if (items.Count == expected && items.All(i => Done(i, release))) break;
                if (clock.GetUtcNow() - ringStart > TimeSpan.FromHours(12)) throw new TimeoutException($"ring {ring} did not finish in 12 h virtual");
            }
            Console.WriteLine($"  {label,-14} {ring,-16} {(clock.GetUtcNow() - ringStart).TotalMinutes,6:0.0} min virtual");
            clock.Advance(bake);
        }
        var stats = hub.Stats;
        Console.WriteLine($"  {label}: {wall.Elapsed.TotalSeconds:0.0} s wall ({upMs / 1000.0:0.0} s in `up`, {advanceMs / 1000.0:0.0} s simulating, {readMs / 1000.0:0.0} s reading the hub), " +
                          $"{(clock.GetUtcNow() - virtualStart).TotalHours:0.00} h virtual, {hubReads} hub reads, " +
                          $"WAN {string.Join(", ", stats.WanBytesByRegion.Select(kv => $"{kv.Key} {kv.Value / 1e9:0.00} GB"))}");
    }
    Console.WriteLine("  " + hub.Timings);
    var listWall = Stopwatch.StartNew();
    var clusters = await kube.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>("fleet.cattle.io", "v1alpha1", "fleet-default", "clusters");
    Console.WriteLine($"  list {clusters.GetProperty("items").GetArrayLength()} clusters: {listWall.ElapsedMilliseconds} ms");
    try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
}

static bool Done(JsonElement bd, string release)
{
    var status = bd.GetProperty("status");
    var id = bd.GetProperty("spec").GetProperty("deploymentID").GetString();
    var tag = bd.GetProperty("spec").GetProperty("options").GetProperty("helm").GetProperty("values").GetProperty("image").GetProperty("tag").GetString();
    return tag == release && status.TryGetProperty("appliedDeploymentID", out var applied) && applied.GetString() == id && status.GetProperty("ready").GetBoolean();
}

static async Task<int> RingSize(Kubernetes kube, string ring)
{
    var list = await kube.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>("fleet.cattle.io", "v1alpha1", "fleet-default", "clusters",
        labelSelector: $"rollout-ring={ring}", limit: 1);
    var meta = list.GetProperty("metadata");
    return list.GetProperty("items").GetArrayLength() + (meta.TryGetProperty("remainingItemCount", out var rest) ? rest.GetInt32() : 0);
}

static Task Cli(params string[] args) => CliOutput(args);

static async Task<(string Stdout, string Stderr)> CliOutput(string[] args, bool timings = false, bool cpuTime = false)
{
    // The CLI as it ships: its apphost, built next to this program (under GNU time for its CPU time when asked).
    var apphost = Path.Combine(AppContext.BaseDirectory, "edgeinfra");
    var timed = cpuTime && File.Exists("/usr/bin/time");
    var start = new ProcessStartInfo(timed ? "/usr/bin/time" : apphost) { RedirectStandardOutput = true, RedirectStandardError = true };
    if (timed) foreach (var a in new[] { "-f", "cpu %U %S", apphost }) start.ArgumentList.Add(a);
    foreach (var a in args) start.ArgumentList.Add(a);
    if (timings) start.Environment["EDGEINFRA_TIMINGS"] = "1";
    using var process = Process.Start(start)!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0) throw new InvalidOperationException($"edgeinfra {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}{await stdout}");
    return (await stdout, await stderr);
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

static string FindRoot()
{
    var d = new DirectoryInfo(AppContext.BaseDirectory);
    while (d is not null && !File.Exists(Path.Combine(d.FullName, "EdgeInfra.sln"))) d = d.Parent;
    return d?.FullName ?? throw new InvalidOperationException("run from inside the repository");
}

static void CopyDir(string from, string to)
{
    foreach (var sub in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, sub)));
    Directory.CreateDirectory(to);
    foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)), overwrite: true);
}
