using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeInfra.Tests.Cli;
using EdgeInfra.Tests.Rollout.EndToEnd;

namespace EdgeInfra.Tests.Service;

/// <summary>The real <c>edgeinfra serve</c> process driving lab rollouts: started over the API, followed over SSE,
/// killed and resumed, and sharing the stack's lock with the CLI.</summary>
public sealed class ServiceRolloutTests
{
    private static readonly string[] Rings = ["retail-region-1", "retail-region-2", "all"];
    private const string OperatorToken = "ci-operator-0123456789abcdefghij";
    private const string ViewerToken = "dash-viewer-0123456789abcdefghij";
    private static readonly Dictionary<string, string> Env = ServiceTokens.Env;

    [Fact]
    public async Task Rollout_StartedByAnOperatorToken_RunsToCompletionLiveAndIsAuditedUnderTheTokenName()
    {
        using var lab = await SmallLab.CreateAsync(24);
        await ServiceTokens.SetAsync(lab, ("ci", "operator", OperatorToken), ("dashboard", "viewer", ViewerToken));
        await using var service = await ServiceProcess.StartAsync(lab.Dir, Env);
        using var viewer = service.Client(ViewerToken);
        using var ci = service.Client(OperatorToken);

        using var refused = await viewer.PostAsJsonAsync("api/v1/rollouts", new { });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var id = await StartAsync(ci);
        var events = new List<JsonElement>();
        await foreach (var e in ServiceProcess.EventsAsync(viewer, id)) events.Add(e);

        var kinds = events.Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal("start", kinds[0]);
        Assert.Equal(Rings, events.Where(e => Kind(e) == "promote").Select(e => e.GetProperty("ring").GetString()));
        Assert.Contains("complete", kinds);
        Assert.Equal("end", kinds[^1]);
        Assert.StartsWith("completed", events[^1].GetProperty("text").GetString(), StringComparison.Ordinal);
        var gates = events.First(e => Kind(e) == "gates").GetProperty("gates");
        Assert.Contains(gates.EnumerateArray(), g => g.GetProperty("gate").GetString() == "fleet-ready");
        var audit = await viewer.GetFromJsonAsync<JsonElement>("api/v1/audit?action=start");
        Assert.True(audit.GetProperty("intact").GetBoolean());
        Assert.Equal("ci", audit.GetProperty("entries")[0].GetProperty("record").GetProperty("actor").GetString());
    }

    [Fact]
    public async Task Rollout_ServiceKilledMidWalk_ResumesOnRestartToTheUninterruptedEndState()
    {
        using var reference = await SmallLab.CreateAsync(24);
        var clean = await reference.RolloutAsync();
        Assert.True(clean.ExitCode == 0, clean.ToString());
        using var lab = await SmallLab.CreateAsync(24);

        string id;
        await using (var first = await ServiceProcess.StartAsync(lab.Dir))
        {
            using var http = first.Client();
            id = await StartAsync(http);
            // Killed once the first ring is promoted: the walk is half-way, between two rings.
            await foreach (var e in ServiceProcess.EventsAsync(http, id))
                if (Kind(e) == "promote") break;
            await first.KillAsync();
        }
        await using var second = await ServiceProcess.StartAsync(lab.Dir);
        using var client = second.Client();
        var record = await WaitEndedAsync(client, id);

        Assert.Equal("completed", record.GetProperty("status").GetString());
        Assert.Equal(reference.FleetTree(), lab.FleetTree());
        var audit = await lab.AuditAsync();
        Assert.Equal(Rings, audit.Where(e => SmallLab.Str(e, "action") == "promote").Select(e => SmallLab.Str(e, "ring")));
    }

    [Fact]
    public async Task Rollout_ServiceWalking_CliRolloutRefusedNamingTheServiceRollout()
    {
        using var lab = await SmallLab.CreateAsync(24);
        // Frozen, the service's walk holds its first ring for as long as the hold timeout allows: it is still walking
        // when the CLI asks, however fast the machine.
        await lab.OkAsync("freeze", "--stack", "lab", "--reason", "keep the service's walk going");
        await using var service = await ServiceProcess.StartAsync(lab.Dir);
        using var http = service.Client();

        var id = await StartAsync(http, new { holdTimeout = "1000d" });
        var cli = await CliRunner.RunProcessAsync(lab.RolloutArgs(), TimeSpan.FromMinutes(2));
        using var abort = await http.PostAsJsonAsync($"api/v1/rollouts/{id}/abort", new { reason = "test done" });

        Assert.Equal(1, cli.ExitCode);
        Assert.Contains($"edgeinfra serve, rollout {id}", cli.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, abort.StatusCode);
    }

    [Fact]
    public async Task Rollout_CliWalking_ServiceStartRefusedWith409NamingTheCliProcess()
    {
        using var lab = await SmallLab.CreateAsync(24);
        await using var service = await ServiceProcess.StartAsync(lab.Dir);
        using var http = service.Client();

        using var walking = CliRunner.Start(lab.RolloutArgs());
        walking.StandardInput.Close();
        var output = walking.StandardOutput.ReadToEndAsync();
        _ = walking.StandardError.ReadToEndAsync();
        var lockFile = Path.Combine(lab.Dir, ".edgeinfra", "rollout", "lab", "rollout.lock.json");
        while (!File.Exists(lockFile) && !walking.HasExited) await Task.Delay(20);
        using var refused = await http.PostAsJsonAsync("api/v1/rollouts", new { });
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        await walking.WaitForExitAsync();

        Assert.True(walking.ExitCode == 0, await output);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains($"pid {walking.Id}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<string> StartAsync(HttpClient http, object? start = null)
    {
        using var response = await http.PostAsJsonAsync("api/v1/rollouts", start ?? new { });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> WaitEndedAsync(HttpClient http, string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            var doc = await http.GetFromJsonAsync<JsonElement>($"api/v1/rollouts/{id}", timeout.Token);
            var record = doc.GetProperty("rollout");
            if (record.GetProperty("status").GetString() != "running") return record;
            await Task.Delay(200, timeout.Token);
        }
    }

    private static string? Kind(JsonElement e) => e.GetProperty("kind").GetString();
}
