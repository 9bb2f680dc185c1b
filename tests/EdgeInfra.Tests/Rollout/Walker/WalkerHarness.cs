using System.Collections.Immutable;
using EdgeInfra.Components.Model;
using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Gates;
using EdgeInfra.Rollout.Holds;
using EdgeInfra.Rollout.Notifications;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Policy;
using EdgeInfra.Rollout.Status;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.Tests.Components;
using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Rollout.Walker;

/// <summary>A small fleet (3 rings, 12 stores), the fakes around the walker and a recorded timeline, in a temp dir.</summary>
internal sealed class WalkerHarness : IDisposable, IRolloutTimeline
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private readonly TempDirectory _dir = new();

    public WalkerHarness(string version = "2.5.0")
    {
        Version = version;
        Model = BuildModel(version);
        Paths = RolloutPaths.For(_dir.Path, Model.Stack);
        Applier = new FakeRingApplier(() => ReleaseSet.From(Model.Apps.Select(a => KeyValuePair.Create(a.Name, a.Version))));
        foreach (var ring in Model.Rings) Applier.Seed(ring.Name, Release("2.4.1"));
        Gates = [new BakeGate(), new FreezeGate(new FreezeStore(Paths)), Health];
        Fleet.Paused = () => new CatchUpStore(Paths).Paused();
    }

    public string Version { get; private set; }
    public FleetModel Model { get; private set; }
    public RolloutPaths Paths { get; }
    public JumpingClock Clock { get; } = new(Start);
    public FakeRingApplier Applier { get; }
    public FakeFleet Fleet { get; } = new();
    public List<TimelineEvent> Timeline { get; } = [];
    public TimeSpan HoldTimeout { get; set; } = TimeSpan.FromHours(1);
    public INotifier Notifier { get; set; } = NoNotifier.Instance;
    public Dictionary<string, ChangeClass> CatchUpClasses { get; } = new(StringComparer.Ordinal);

    /// <summary>The health verdict per ring and evaluation; Successful unless a test says otherwise.</summary>
    public Func<GateContext, GateResult> HealthVerdict { get; set; } = _ => GateResult.Successful("health", "ok");
    public ScriptedGate Health => _health ??= new ScriptedGate("health", c => HealthVerdict(c));
    private ScriptedGate? _health;
    public List<IGate> Gates { get; }

    public AuditLog Audit => new(Paths);
    public HoldStore Holds => new(Paths);
    public FreezeStore Freezes => new(Paths);

    public static ReleaseSet Release(string pos) => ReleaseSet.From([KeyValuePair.Create("pos", pos), KeyValuePair.Create("signage", "1.7.0")]);

    public RingWalker Walker() => new(Model, Applier, Fleet, Gates, Paths,
        new WalkerOptions(Interval, HoldTimeout, "ops@example.com") { CatchUpClasses = CatchUpClasses }, Clock, this, Notifier);

    public Task<RolloutResult> RunAsync() => Walker().RunAsync(CancellationToken.None);

    public void Bump(string version)
    {
        Version = version;
        Model = BuildModel(version);
    }

    public void Write(TimelineEvent e)
    {
        lock (Timeline) Timeline.Add(e);
    }

    public IReadOnlyList<AuditEntry> AuditEntries(string action) => [.. Audit.Read().Entries.Where(e => e.Record.Action == action)];

    private static FleetModel BuildModel(string version)
    {
        var rings = ImmutableArray.Create(
            new RingSpec("canary", 0, 5, "1", TimeSpan.FromMinutes(30), new("Pulumi.test.yaml", 1)),
            new RingSpec("early", 1, 40, "10%", TimeSpan.FromHours(2), new("Pulumi.test.yaml", 2)),
            new RingSpec("all", 2, 100, "10%", TimeSpan.Zero, new("Pulumi.test.yaml", 3)));
        var stores = new List<Store>();
        for (var i = 0; i < 12; i++)
        {
            var ring = i < 2 ? "canary" : i < 6 ? "early" : "all";
            stores.Add(TestFleet.Store($"store-{i:D2}", ring, i % 2 == 0 ? "central-europe" : "western-europe"));
        }
        var pos = TestFleet.Pos() with { Version = version };
        return new FleetModel("test", [.. stores], rings, [pos, TestFleet.Signage()], [], [], TestFleet.Settings);
    }

    public void Dispose() => _dir.Dispose();
}
