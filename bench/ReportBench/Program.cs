// Appends DAYS days of audit records to a stack's hash-chained audit log, as a daily rollout of a generated fleet leaves
// them: per day a start, then per ring an apply (its real fleet-repo commit and pinned digest), the ring's stores seen
// pending, applying and ready in batches of 50, 3 % of the fleet dropping offline and catching up, and a promote with
// its gate numbers; one day in ten a breach and a rollback of the first ring. Usage: ReportBench PROJECT_DIR STACK DAYS [spread]
// With `spread`, each offline store catches up at a second of its own within the 3 hours after its ring was ready (and
// after it went away) instead of all at 3 hours, so hardly two stores with a gap share a timeline: the worst case for the
// PDF, which prints identical timelines once.
using System.Globalization;
using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Persistence;
using LibGit2Sharp;
using YamlDotNet.RepresentationModel;

var (dir, stack, days) = (args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
var spread = args.Length > 3 && args[3] == "spread";
var yaml = new YamlStream();
using (var reader = File.OpenText(Path.Combine(dir, "stacks", stack, "stores.yaml"))) yaml.Load(reader);
var stores = ((YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["stores"]).Children.Cast<YamlMappingNode>()
    .Select(s => (Id: ((YamlScalarNode)s["id"]).Value!, Ring: ((YamlScalarNode)((YamlMappingNode)s["labels"])["rollout-ring"]).Value!))
    .ToList();
var rings = stores.Select(s => s.Ring).Distinct().ToList();

// The ring commits `up` made, with their pinned digests: the report resolves each observed revision through them.
var ringCommits = new Dictionary<string, (string Sha, string Release, string Digest)>();
using (var repo = new Repository(Path.Combine(dir, ".edgeinfra", "fleet.git")))
    foreach (var c in repo.Commits)
    {
        string? Trailer(string key) => c.Message.Split('\n').FirstOrDefault(l => l.StartsWith(key + ": ", StringComparison.Ordinal))?[(key.Length + 2)..];
        if (Trailer("Edge-Ring") is { } ring && ring != "-" && !ringCommits.ContainsKey(ring))
            ringCommits[ring] = (c.Sha, Trailer("Edge-Release") ?? "", Trailer("Edge-Digest") ?? "");
    }

var log = new AuditLog(RolloutPaths.For(Path.Combine(dir, ".edgeinfra"), stack) with { Durable = false });
var start = DateTimeOffset.UtcNow.Date.AddDays(-days);
var random = new Random(7);
var entries = 0;
async Task Add(DateTimeOffset t, string action, string? ring, string release, string reason, IReadOnlyList<string>? ids = null,
    Dictionary<string, string>? data = null)
{
    await log.AppendAsync(new AuditRecord(t, "bench", action, stack, ring, release, reason, ids, data));
    entries++;
}

for (var day = 0; day < days; day++)
{
    var t = new DateTimeOffset(start.AddDays(day).AddHours(6), TimeSpan.Zero);
    var release = ringCommits.Values.First().Release;
    await Add(t, AuditActions.Start, null, release, "rollout started");
    foreach (var ring in rings)
    {
        var (sha, _, digest) = ringCommits[ring];
        var members = stores.Where(s => s.Ring == ring).Select(s => s.Id).ToList();
        await Add(t, AuditActions.Apply, ring, release, $"ring applied at {release}",
            data: new() { ["commit"] = sha, ["version"] = $"{day + 1}", ["digest.pos-app"] = digest.Split(' ')[0].Split('=')[^1] });
        foreach (var state in new[] { "pending", "applying", "ready" })
        {
            t = t.AddMinutes(2);
            foreach (var batch in members.Chunk(50))
                await Add(t, AuditActions.Observe, ring, release, $"{batch.Length} store(s) now {state}", batch,
                    new() { ["state"] = state, ["revision"] = sha });
        }
        var away = members.Where(_ => random.NextDouble() < 0.03).ToList();
        if (away.Count > 0)
        {
            await Add(t.AddMinutes(5), AuditActions.Observe, ring, release, $"{away.Count} store(s) now offline", away,
                new() { ["state"] = "offline", ["revision"] = sha });
            foreach (var id in away)
                await Add(t.AddHours(3).AddSeconds(spread ? random.Next(-10_200, 0) : 0), AuditActions.CaughtUp, ring, release,
                    "caught up (next-window; offline)", [id]);
        }
        if (day % 10 == 9 && ring == rings[0])
        {
            await Add(t.AddMinutes(20), AuditActions.Breach, ring, release, "metrics:error-rate: ring 3.91% > 1%", members.Take(5).ToList());
            await Add(t.AddMinutes(21), AuditActions.Rollback, ring, release, "returned to the last known good", data: new() { ["commit"] = sha });
        }
        t = t.AddMinutes(30);
        await Add(t, AuditActions.Promote, ring, release, "metrics:success-rate: ring 99.95% >= 99%; metrics:error-rate: ring 0.05% <= 1%");
    }
}
Console.WriteLine($"{entries} audit entries for {stores.Count} stores over {days} days");
