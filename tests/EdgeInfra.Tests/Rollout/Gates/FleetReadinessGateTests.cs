using EdgeInfra.Rollout.Gates;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Status;
using EdgeInfra.Rollout.Walker;

namespace EdgeInfra.Tests.Rollout.Gates;

public sealed class FleetReadinessGateTests
{
    private static readonly string[] TenStores = [.. Enumerable.Range(1, 10).Select(i => $"s{i}")];

    public static TheoryData<string, string, string[], Verdict> Cases => new()
    {
        // maxUnavailable, the states of s1.. (the rest ready), verdict
        { "all ready", "10%", [], Verdict.Successful },
        { "one applying within 10% of 10", "10%", ["applying"], Verdict.Successful },
        { "two applying beyond 10% of 10", "10%", ["applying", "pending"], Verdict.Inconclusive },
        { "one failed within budget", "1", ["failed"], Verdict.Successful },
        { "two failed beyond budget 1", "1", ["failed", "failed"], Verdict.Failed },
        { "offline stores never count against the budget", "1", ["offline", "offline", "offline", "offline"], Verdict.Successful },
        { "drifted runs the release", "0", ["drifted"], Verdict.Successful },
        { "integer 0 allows nothing unavailable", "0", ["applying"], Verdict.Inconclusive },
        { "0% still allows one", "0%", ["applying"], Verdict.Successful },
        { "not selected is not ready", "10%", ["not-selected", "not-selected"], Verdict.Inconclusive },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Evaluate_RingStates_GivesVerdict(string why, string maxUnavailable, string[] states, Verdict expected)
    {
        var byStore = states.Select((s, i) => (Id: TenStores[i], State: Enum.GetValues<StoreState>().Single(x => x.ToWire() == s)))
            .ToDictionary(x => x.Id, x => x.State);
        var context = GateContexts.For("canary", maxUnavailable, TenStores, byStore);

        var result = await new FleetReadinessGate().EvaluateAsync(context, CancellationToken.None);

        Assert.True(expected == result.Verdict, $"{why}: {result.Verdict} ({result.Reason})");
    }

    [Fact]
    public async Task Evaluate_OfflineStores_AreReportedSeparately()
    {
        var context = GateContexts.For("canary", "10%", TenStores, new Dictionary<string, StoreState> { ["s1"] = StoreState.Offline, ["s2"] = StoreState.Offline });

        var result = await new FleetReadinessGate().EvaluateAsync(context, CancellationToken.None);

        Assert.Equal(Verdict.Successful, result.Verdict);
        Assert.Contains("8/8 online stores ready", result.Reason);
        Assert.Contains("2 offline excluded", result.Reason);
    }

    [Fact]
    public async Task Evaluate_FailedBeyondBudget_NamesTheFailedStores()
    {
        var context = GateContexts.For("canary", "1", TenStores, new Dictionary<string, StoreState> { ["s3"] = StoreState.Failed, ["s7"] = StoreState.Failed });

        var result = await new FleetReadinessGate().EvaluateAsync(context, CancellationToken.None);

        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Equal(["s3", "s7"], result.Stores);
    }

    [Fact]
    public async Task Evaluate_EveryStoreOfflineOrWithoutStatus_IsInconclusive()
    {
        var allOffline = GateContexts.For("canary", "10%", ["a", "b"], new Dictionary<string, StoreState> { ["a"] = StoreState.Offline, ["b"] = StoreState.Offline });
        var noStatus = GateContexts.For("canary", "10%", ["a", "b"]) with { Statuses = new Dictionary<string, StoreStatus>() };

        Assert.Equal(Verdict.Inconclusive, (await new FleetReadinessGate().EvaluateAsync(allOffline, CancellationToken.None)).Verdict);
        Assert.Equal(Verdict.Inconclusive, (await new FleetReadinessGate().EvaluateAsync(noStatus, CancellationToken.None)).Verdict);
    }

    [Theory]
    // cause of the held store s1 and s2, their state, verdict: a store paused until it registers is not excluded while it
    // registers (the ring waits for it like any pending store), only once it counts offline; one paused for its window
    // or since it was offline is left out while paused.
    [InlineData(CatchUpCause.Unregistered, StoreState.Pending, Verdict.Inconclusive)]
    [InlineData(CatchUpCause.Unregistered, StoreState.Offline, Verdict.Successful)]
    [InlineData(CatchUpCause.Window, StoreState.Pending, Verdict.Successful)]
    [InlineData(CatchUpCause.Offline, StoreState.Pending, Verdict.Successful)]
    public async Task Evaluate_TwoHeldBackStores_CountAsTheirCauseAndStateSay(CatchUpCause cause, StoreState state, Verdict expected)
    {
        var held = new Dictionary<string, StoreState> { ["s1"] = state, ["s2"] = state };
        var context = GateContexts.For("canary", "1", TenStores, held) with
        {
            HeldBack = held.Keys.ToDictionary(id => id, _ => cause, StringComparer.Ordinal),
        };

        var result = await new FleetReadinessGate().EvaluateAsync(context, CancellationToken.None);

        Assert.True(expected == result.Verdict, $"{result.Verdict} ({result.Reason})");
    }

    [Fact]
    public async Task Evaluate_EveryStoreRegistering_IsInconclusiveNotAVacuousPass()
    {
        var registering = TenStores.ToDictionary(id => id, _ => StoreState.Pending, StringComparer.Ordinal);
        var context = GateContexts.For("canary", "10%", TenStores, registering) with
        {
            HeldBack = TenStores.ToDictionary(id => id, _ => CatchUpCause.Unregistered, StringComparer.Ordinal),
        };

        var result = await new FleetReadinessGate().EvaluateAsync(context, CancellationToken.None);

        Assert.Equal(Verdict.Inconclusive, result.Verdict);
        Assert.Contains("0/10 online stores ready", result.Reason);
    }

    [Theory]
    [InlineData(5, "10%", 1)]
    [InlineData(100, "10%", 10)]
    [InlineData(10, "0%", 1)]
    [InlineData(10, "0", 0)]
    [InlineData(10, "25", 10)]
    [InlineData(230, "25%", 57)]
    public void Limit_FleetSemantics(int count, string value, int expected) =>
        Assert.Equal(expected, FleetReadinessGate.Limit(count, value));
}
