using System.Globalization;
using System.Text.Json;
using EdgeInfra.Lab.Registry;
using EdgeInfra.Providers.Registry;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Tests.Rollout.EndToEnd;

namespace EdgeInfra.Tests.Releases;

/// <summary>The compliance report of real lab rollouts, checked against the audit log it is built from.</summary>
public sealed class ComplianceReportTests
{
    private static readonly string[] Period = ["--from", "2000-01-01", "--to", "2100-01-01"];
    private static readonly string Good = LabRegistry.Digest(ImageReference.Parse("registry.example.com/edge/pos-app:2.4.1"));
    private static readonly string Bad = LabRegistry.Digest(ImageReference.Parse("registry.example.com/edge/pos-app:2.5.0"));

    [Fact]
    public async Task Report_LabRolloutsWithOfflineStoresAndARollback_EveryStoresDigestOverTimeAsTheAuditSays()
    {
        using var lab = await SmallLab.CreateAsync(30);
        // Offline detection within minutes, so the rings applied while 30 % of the stores are away pause them for catch-up.
        lab.Project.Edit(lab.Project.LabConfig, c => c.Replace("  edge-infra:lab:\n", "  edge-infra:rollout:\n    offlineAfter: 5m\n  edge-infra:lab:\n"));
        var first = await lab.RolloutAsync("--scenario", "offline-30");
        Assert.True(first.ExitCode == 0, first.ToString());
        await lab.OkAsync("catch-up", "--stack", "lab", "--wait");
        await lab.OkAsync("config", "set", "--stack", "lab", "--path", "apps.pos-app.version", "2.5.0");
        Assert.Equal(1, (await lab.RolloutAsync("--scenario", "bad-release")).ExitCode);
        var audit = await lab.AuditAsync();

        var run = await lab.Project.Run(["report", "--stack", "lab", "--format", "json", .. Period]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = JsonDocument.Parse(run.Out).RootElement;
        Assert.True(report.GetProperty("auditIntact").GetBoolean());
        Assert.Equal(audit.Count, report.GetProperty("auditEntries").GetInt32());
        var stores = report.GetProperty("stores").EnumerateArray().ToDictionary(s => SmallLab.Str(s, "store")!);
        Assert.Equal(30, stores.Count);

        // Every transition the audit records for a store starts a segment of the report at that very time: ready at a
        // commit means that commit's pinned digest, offline a gap.
        var transitions = 0;
        foreach (var entry in audit.Where(e => SmallLab.Str(e, "action") == "observe"))
        {
            var data = entry.GetProperty("data");
            var state = SmallLab.Str(data, "state");
            if (state is not ("ready" or "offline")) continue;
            var at = DateTimeOffset.Parse(SmallLab.Str(entry, "time")!, CultureInfo.InvariantCulture);
            foreach (var id in entry.GetProperty("stores").EnumerateArray().Select(s => s.GetString()!))
            {
                var segment = Segments(stores[id]).LastOrDefault(s => s.From <= at);
                Assert.True(segment is not null, $"{id}: no segment at {at:u}");
                Assert.Equal(state == "offline", segment.Offline);
                if (state == "ready") Assert.Equal(SmallLab.Str(data, "revision"), segment.Commit);
                transitions++;
            }
        }
        Assert.True(transitions >= 30, $"only {transitions} transitions observed");
        Assert.Contains(stores.Values, s => Segments(s).Any(x => x.Offline));
        var caughtUp = audit.Where(e => SmallLab.Str(e, "action") == "caught-up").ToList();
        Assert.NotEmpty(caughtUp);
        foreach (var e in caughtUp)
        {
            // A store that caught up runs its ring's commit from then on: the segment that starts there is not a gap.
            var at = DateTimeOffset.Parse(SmallLab.Str(e, "time")!, CultureInfo.InvariantCulture);
            var id = e.GetProperty("stores")[0].GetString()!;
            Assert.False(Segments(stores[id]).Last(s => s.From <= at).Offline, $"{id} caught up at {at:u} but the report shows a gap");
        }

        // The rolled-back ring's stores ran the good digest, the bad one, then the good one again.
        var rollback = audit.First(e => SmallLab.Str(e, "action") == "rollback");
        var ring = SmallLab.Str(rollback, "ring")!;
        var ringStores = stores.Values.Where(s => SmallLab.Str(s, "ring") == ring).ToList();
        Assert.NotEmpty(ringStores);
        Assert.True(ringStores.Any(s => Sequence(s).SequenceEqual([Good, Bad, Good])),
            string.Join("\n", ringStores.Select(s => SmallLab.Str(s, "store") + ": " + string.Join(" | ", Segments(s).Select(x => $"{x.From:u} {(x.Offline ? "offline" : x.Digests?[..30])} {x.Commit?[..7]}")))) +
            "\n" + string.Join("\n", audit.Where(e => SmallLab.Str(e, "ring") == ring && SmallLab.Str(e, "action") is "observe" or "rollback" or "apply")
                .Select(e => $"{SmallLab.Str(e, "time")} {SmallLab.Str(e, "action")} {SmallLab.Str(e, "reason")} {(e.TryGetProperty("data", out var d) ? d.ToString() : "")}")));
        Assert.All(ringStores, s => Assert.Subset(new HashSet<string> { Good, Bad }, Sequence(s).ToHashSet()));

        var releases = report.GetProperty("releases").EnumerateArray().ToDictionary(r => SmallLab.Str(r, "release")!);
        var bad = releases["pos-app=2.5.0,store-baseline=1.0.0"];
        Assert.Equal(Bad, SmallLab.Str(bad.GetProperty("digests"), "pos-app"));
        var rolledBack = Assert.Single(bad.GetProperty("rollbacks").EnumerateArray(), r => SmallLab.Str(r, "ring") == ring);
        Assert.Contains("error", SmallLab.Str(rolledBack, "reason"));
        Assert.Contains(bad.GetProperty("rings").EnumerateArray(), r => r.GetProperty("verdicts").EnumerateArray().Any(v => SmallLab.Str(v, "action") == "breach"));
        Assert.Contains(bad.GetProperty("approvals").EnumerateArray(), a => SmallLab.Str(a, "action") == "start");
        Assert.NotEmpty(bad.GetProperty("proposed").EnumerateArray());
        var good = releases["pos-app=2.4.1,store-baseline=1.0.0"];
        Assert.Equal(Good, SmallLab.Str(good.GetProperty("digests"), "pos-app"));
        Assert.All(good.GetProperty("rings").EnumerateArray(), r =>
        {
            Assert.NotNull(SmallLab.Str(r, "appliedAt"));
            Assert.NotNull(SmallLab.Str(r, "promotedAt"));
            Assert.Contains(r.GetProperty("verdicts").EnumerateArray(), v => SmallLab.Str(v, "action") == "promote" && SmallLab.Str(v, "reason")!.Contains('%'));
        });
    }

    [Fact]
    public async Task Report_Html_SelfContainedWithTheChainVerdictFirst_AndATamperedLogSaysSoWithExit1()
    {
        using var lab = await SmallLab.CreateAsync(10);
        Assert.Equal(0, (await lab.RolloutAsync()).ExitCode);
        var file = Path.Combine(lab.Dir, "report.html");

        var run = await lab.Project.Run(["report", "--stack", "lab", "--output", file, .. Period]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var html = File.ReadAllText(file);
        Assert.StartsWith("<!DOCTYPE html>", html);
        var chain = html.IndexOf("id=\"audit-chain\"", StringComparison.Ordinal);
        Assert.True(chain > 0 && chain < html.IndexOf("<section", StringComparison.Ordinal), "the chain's verdict comes before the first section");
        Assert.Contains("Audit log verified", html);
        Assert.Contains(Good, html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("src=", html);
        Assert.DoesNotContain("<link", html);

        var log = RolloutPaths.For(Path.Combine(lab.Dir, ".edgeinfra"), "lab").Audit;
        File.WriteAllText(log, File.ReadAllText(log).Replace("rollout started", "rollout begun", StringComparison.Ordinal));
        var tampered = await lab.Project.Run(["report", "--stack", "lab", .. Period]);

        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains("Audit log TAMPERED", tampered.Out);
        Assert.Contains("is tampered", tampered.Error);
    }

    [Fact]
    public async Task Report_Pdf_PrintedByChromiumWithTheChainVerdictOnPageOneAndEveryStoresTimelineAsText()
    {
        foreach (var tool in new[] { "/usr/bin/chromium", "/usr/bin/pdftotext", "/usr/bin/pdfinfo" })
            Assert.True(File.Exists(tool), $"{tool} is missing: apt-get install -y chromium poppler-utils (./test.sh does this as root)");
        using var lab = await SmallLab.CreateAsync(30);
        lab.Project.Edit(lab.Project.LabConfig, c => c.Replace("  edge-infra:lab:\n", "  edge-infra:rollout:\n    offlineAfter: 5m\n  edge-infra:lab:\n"));
        Assert.Equal(0, (await lab.RolloutAsync("--scenario", "offline-30")).ExitCode);
        await lab.OkAsync("config", "set", "--stack", "lab", "--path", "apps.pos-app.version", "2.5.0");
        Assert.Equal(1, (await lab.RolloutAsync("--scenario", "bad-release")).ExitCode);
        var pdf = Path.Combine(lab.Dir, "report.pdf");

        var run = await lab.Project.Run(["report", "--stack", "lab", "--format", "pdf", "--output", pdf, .. Period]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("%PDF-", File.ReadAllText(pdf)[..8]);
        var pages = int.Parse(System.Text.RegularExpressions.Regex.Match(await Tool("pdfinfo", pdf), @"Pages:\s+(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        // Page one (the chain's verdict), a page per release (two here), then the stores.
        Assert.True(pages >= 4, $"{pages} page(s)");
        var first = await Tool("pdftotext", "-f", "1", "-l", "1", "-layout", pdf, "-");
        Assert.Contains("Audit log verified", first);
        Assert.Contains("Compliance evidence", first);
        var all = await Tool("pdftotext", pdf, "-");
        Assert.Contains("What each store ran", all);

        // An auditor searching the PDF for a store finds it under an entry that lists, as text, each of its segments as
        // the JSON report has them: its digests, and its gaps as gaps.
        var printed = PrintedTimelines(all[all.IndexOf("What each store ran", StringComparison.Ordinal)..]);
        var json = JsonDocument.Parse((await lab.Project.Run(["report", "--stack", "lab", "--format", "json", .. Period])).Out).RootElement;
        var stores = json.GetProperty("stores").EnumerateArray().ToList();
        Assert.Equal(30, stores.Count);
        Assert.Contains(stores, s => Segments(s).Any(x => x.Offline));
        Assert.Contains(stores, s => Sequence(s).SequenceEqual([Good, Bad, Good]));
        foreach (var store in stores)
        {
            var id = SmallLab.Str(store, "store")!;
            Assert.True(printed.TryGetValue(id, out var lines), $"{id} is not in the PDF's store entries");
            Assert.Equal(ExpectedLines(store), lines);
        }
    }

    /// <summary>The store entries of pdftotext's text: "Store ID, ring R:" or "Stores (N), ring R: ID, ID, …" (wrapped),
    /// then one line per segment starting with its time (a wrapped segment continues on the next line).</summary>
    internal static Dictionary<string, List<string>> PrintedTimelines(string text)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? ids = null, lines = null;
        var header = "";
        foreach (var raw in text.Replace('\f', '\n').Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith("Store ", StringComparison.Ordinal) || line.StartsWith("Stores (", StringComparison.Ordinal))
            {
                header = line;
                ids = null;
                lines = [];
            }
            else if (lines is null) continue;
            else if (System.Text.RegularExpressions.Regex.IsMatch(line, @"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ to |not observed)"))
            {
                if (ids is null)
                {
                    ids = [.. header[(header.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
                    if (header.StartsWith("Store ", StringComparison.Ordinal)) ids = [header["Store ".Length..header.IndexOf(',', StringComparison.Ordinal)]];
                    foreach (var id in ids) Assert.True(result.TryAdd(id, lines), $"{id} is printed twice");
                }
                lines.Add(line);
            }
            else if (ids is null) header += " " + line;
            else if (lines.Count > 0) lines[^1] += " " + line;
        }
        return result;
    }

    private static List<string> ExpectedLines(JsonElement store)
    {
        static string At(string? time) => time is null ? "end" : DateTimeOffset.Parse(time, CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var segments = store.GetProperty("segments").EnumerateArray().ToList();
        if (segments.Count == 0) return ["not observed in the period"];
        return [.. segments.Select(s => $"{At(SmallLab.Str(s, "from"))} to {At(SmallLab.Str(s, "to"))}: " +
            (s.GetProperty("offline").GetBoolean() ? "offline (gap)" : SmallLab.Str(s, "digests") ?? SmallLab.Str(s, "release") ?? SmallLab.Str(s, "commit")![..12]))];
    }

    [Fact]
    public async Task ReportRoute_ViewerToken_ServesTheSameEvidenceAsHtmlAndJson()
    {
        using var lab = await SmallLab.CreateAsync(10);
        Assert.Equal(0, (await lab.RolloutAsync()).ExitCode);
        await EdgeInfra.Tests.Service.ServiceTokens.SetAsync(lab, ("auditor", "viewer", "auditor-viewer-0123456789abcdef"));
        var cli = JsonDocument.Parse((await lab.Project.Run(["report", "--stack", "lab", "--format", "json", .. Period])).Out).RootElement;
        await using var service = await EdgeInfra.Tests.Service.ServiceProcess.StartAsync(lab.Dir, EdgeInfra.Tests.Service.ServiceTokens.Env);
        using var auditor = service.Client("auditor-viewer-0123456789abcdef");
        const string period = "from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z";

        using var html = await auditor.GetAsync($"api/v1/report?{period}");
        var json = JsonDocument.Parse(await auditor.GetStringAsync($"api/v1/report?{period}&format=json")).RootElement;

        Assert.Equal(System.Net.HttpStatusCode.OK, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Audit log verified", await html.Content.ReadAsStringAsync());
        Assert.True(json.GetProperty("auditIntact").GetBoolean());
        Assert.Equal(cli.GetProperty("auditEntries").GetInt32(), json.GetProperty("auditEntries").GetInt32());
        Assert.Equal(JsonSerializer.Serialize(cli.GetProperty("stores")), JsonSerializer.Serialize(json.GetProperty("stores")));
    }

    internal static async Task<string> Tool(string name, params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo("/usr/bin/" + name) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{name} exited {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
        return output;
    }

    private sealed record Segment(DateTimeOffset From, bool Offline, string? Commit, string? Digests);

    private static List<Segment> Segments(JsonElement store) => [.. store.GetProperty("segments").EnumerateArray().Select(s => new Segment(
        DateTimeOffset.Parse(SmallLab.Str(s, "from")!, CultureInfo.InvariantCulture), s.GetProperty("offline").GetBoolean(),
        SmallLab.Str(s, "commit"), SmallLab.Str(s, "digests")))];

    /// <summary>The pos-app digests a store ran, in order, gaps left out and repeats folded.</summary>
    private static List<string> Sequence(JsonElement store)
    {
        var result = new List<string>();
        foreach (var s in Segments(store).Where(s => !s.Offline && s.Digests is not null))
        {
            var digest = s.Digests!.Split(' ').Single(d => d.StartsWith("pos-app=", StringComparison.Ordinal))["pos-app=".Length..];
            if (result.Count == 0 || result[^1] != digest) result.Add(digest);
        }
        return result;
    }
}
