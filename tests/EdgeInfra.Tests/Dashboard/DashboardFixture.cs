using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeInfra.Tests.Rollout.EndToEnd;
using EdgeInfra.Tests.Service;

namespace EdgeInfra.Tests.Dashboard;

/// <summary>One lab, one real <c>edgeinfra serve</c> process with an operator and a viewer token, and one chromium,
/// shared by the tests of a class.</summary>
public abstract class DashboardFixture : IAsyncLifetime
{
    public const string OperatorToken = "ops-operator-0123456789abcdefghij";
    public const string ViewerToken = "dash-viewer-0123456789abcdefghij";

    private SmallLab? _lab;
    private ServiceProcess? _service;
    private DashboardBrowser? _browser;

    /// <summary>How many stores the generated lab inventory has.</summary>
    protected abstract int Stores { get; }

    internal SmallLab Lab => _lab!;
    internal ServiceProcess Service => _service!;
    internal DashboardBrowser Browser => _browser!;

    public async Task InitializeAsync()
    {
        _lab = await SmallLab.CreateAsync(Stores);
        await ServiceTokens.SetAsync(_lab, ("ops", "operator", OperatorToken), ("dashboard", "viewer", ViewerToken));
        await PrepareAsync(_lab);
        _service = await ServiceProcess.StartAsync(_lab.Dir, ServiceTokens.Env);
        _browser = await DashboardBrowser.LaunchAsync();
        await ServingAsync();
    }

    /// <summary>What the lab needs before the service starts.</summary>
    internal virtual Task PrepareAsync(SmallLab lab) => Task.CompletedTask;

    /// <summary>What the service does before the tests (e.g. a first rollout).</summary>
    internal virtual Task ServingAsync() => Task.CompletedTask;

    public HttpClient Operator() => Service.Client(OperatorToken);

    public HttpClient Viewer() => Service.Client(ViewerToken);

    /// <summary>Starts a rollout over the API as the operator; answers its id.</summary>
    public async Task<string> StartRolloutAsync(object start)
    {
        using var http = Operator();
        using var response = await http.PostAsJsonAsync("api/v1/rollouts", start);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Waits until the rollout's record is no longer running; answers the record.</summary>
    public async Task<JsonElement> WaitEndedAsync(string id)
    {
        using var http = Viewer();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        while (true)
        {
            var record = (await http.GetFromJsonAsync<JsonElement>($"api/v1/rollouts/{id}", timeout.Token)).GetProperty("rollout");
            if (record.GetProperty("status").GetString() != "running") return record;
            await Task.Delay(200, timeout.Token);
        }
    }

    /// <summary>Stops the service with SIGTERM, as systemd does, and starts a new process on the same address, where the
    /// pages that followed the old one reconnect; the new process resumes the rollout the old one left running.</summary>
    /// <returns>When the old process had exited: every event it emitted is older, every event of the new one newer.</returns>
    internal async Task<DateTimeOffset> RestartServiceAsync()
    {
        var address = Service.Url.Authority;
        await Service.TerminateAsync();
        await Service.DisposeAsync();
        var stopped = DateTimeOffset.UtcNow;
        _service = await ServiceProcess.StartAsync(Lab.Dir, ServiceTokens.Env, listen: address);
        return stopped;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        if (_service is not null) await _service.DisposeAsync();
        _lab?.Dispose();
    }
}

/// <summary>A 24-store lab with one completed rollout started through the service.</summary>
public sealed class SmallFleetDashboard : DashboardFixture
{
    protected override int Stores => 24;

    internal override async Task ServingAsync()
    {
        var record = await WaitEndedAsync(await StartRolloutAsync(new { }));
        Assert.Equal("completed", record.GetProperty("status").GetString());
    }
}

/// <summary>A 30-store lab whose first release rolled out (by the CLI) and whose next release (pos-app 2.5.0) is
/// configured: a rollout with the lab's <c>bad-release</c> scenario breaches and rolls back.</summary>
public sealed class BadReleaseDashboard : DashboardFixture
{
    protected override int Stores => 30;

    internal override async Task PrepareAsync(SmallLab lab)
    {
        var first = await lab.RolloutAsync();
        Assert.True(first.ExitCode == 0, first.ToString());
        await lab.OkAsync("config", "set", "--stack", "lab", "--path", "apps.pos-app.version", "2.5.0");
    }
}

/// <summary>A 24-store lab nothing was rolled out to yet: a test starts its rollout itself.</summary>
public sealed class UnreleasedDashboard : DashboardFixture
{
    protected override int Stores => 24;
}

/// <summary>A 30-store lab rolled out twice by the CLI (pos-app 2.5.0 second), with pos-app a <c>hold-for-review</c>
/// change: 30 % of the stores dropped off before the second release reached their rings, so they wait, paused, for an
/// operator's approval; every ring has a last-known-good release to roll back to.</summary>
/// <remarks>The recipe of <c>CatchUpEndToEndTests</c>' hold-for-review case, without its second app change.</remarks>
public sealed class AwaitingApprovalDashboard : DashboardFixture
{
    protected override int Stores => 30;

    internal override async Task PrepareAsync(SmallLab lab)
    {
        lab.UseCatchUpScenario(offlineHours: 44, posAppClass: "hold-for-review");
        var first = await lab.RolloutAsync("--scenario", "catch-up");
        Assert.True(first.ExitCode == 0, first.ToString());
        await lab.OkAsync("config", "set", "--stack", "lab", "--path", "apps.pos-app.version", "2.5.0");
        var second = await lab.RolloutAsync("--scenario", "catch-up");
        Assert.True(second.ExitCode == 0, second.ToString());
    }
}

/// <summary>A 10,000-store lab (never rolled out: the table's paging, sorting and filters are what is tested).</summary>
public sealed class BigFleetDashboard : DashboardFixture
{
    protected override int Stores => 10_000;
}
