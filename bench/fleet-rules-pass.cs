#:project ../infra/EdgeInfra.Lab/EdgeInfra.Lab.csproj
#:property TreatWarningsAsErrors=true
// One Fleet reconcile pass (EdgeInfra.Lab.FleetRules.FleetRolloutPass) over N clusters, as the lab simulator runs it
// per bundle on every reconcile. Run: dotnet run -c Release bench/fleet-rules-pass.cs [clusters]   (default 2500)
using System.Diagnostics;
using System.Text.Json.Nodes;
using EdgeInfra.Lab.FleetRules;

var n = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2500;
string[] rings = ["canary", "early", "regional", "all"];
var settled = Enumerable.Range(0, n).Select(i => new FleetTarget($"store-{i:00000}",
    new Dictionary<string, string> { ["rollout-ring"] = rings[Math.Min(i * 100 / n / 25, 3)], ["region"] = $"r{i % 7}" },
    Deployment: FleetBundleDeployment.Settled("old"))).ToList();
// Targets in hash order make the pass pay for its ordinal sort by name; targets already in name order skip it.
var shuffled = settled.ToList();
new Random(7).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(shuffled));
var fresh = settled.Select(t => t with { Deployment = null }).ToList();
static JsonObject Ring(string ring) => new() { ["matchLabels"] = new JsonObject { ["rollout-ring"] = ring } };
var manual = new FleetRolloutStrategy(MaxUnavailable: "10%", Partitions:
    [.. rings.Select(r => new FleetPartitionDefinition(r, ClusterSelector: Ring(r)))]);

(string, RolloutPassInput)[] cases =
[
    ("defaults (auto 25%), all settled on old", new(settled, "new")),
    ("same, targets not in name order (sort)", new(shuffled, "new")),
    ("auto 25%, maxUnavailable 10%", new(settled, "new", new FleetRolloutStrategy(MaxUnavailable: "10%"))),
    ("4 manual partitions by label, 10%", new(settled, "new", manual)),
    ("fresh bundle (maxNew 50)", new(fresh, "new")),
];
Console.WriteLine($"{n} clusters, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
foreach (var (name, input) in cases)
{
    for (var i = 0; i < 200; i++) FleetRolloutPass.Run(input); // warm-up (tiered JIT)
    // CPU time of the process, not wall time: on a shared machine the wall clock mostly measures waiting for a core.
    var runs = new List<double>();
    var process = Process.GetCurrentProcess();
    for (var r = 0; r < 7; r++)
    {
        const int iterations = 200;
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        for (var i = 0; i < iterations; i++) FleetRolloutPass.Run(input);
        process.Refresh();
        runs.Add((process.TotalProcessorTime - cpu).TotalMilliseconds / iterations);
    }
    runs.Sort();
    Console.WriteLine($"{name,-45} median {runs[3]:0.000} ms CPU/pass (min {runs[0]:0.000}, max {runs[^1]:0.000})");
}
