using EdgeInfra.Lab.FleetRules;

namespace EdgeInfra.Tests.Lab.FleetRules;

/// <summary>Fleet's <c>Test_limit</c> and <c>TestMaxUnavailable</c> cases (status_test.go), with v0.16's capping at count.</summary>
public sealed class FleetLimitTests
{
    public static TheoryData<string, int, string?, string?, int> Cases => new()
    {
        // name, count, first value, second value ("i:N" integer, "s:TEXT" string, null absent), expected
        { "fixed value below count", 10, "i:5", null, 5 },
        { "fixed value above count is capped at count", 10, "i:15", null, 10 },
        { "with value with zero count", 0, "i:15", null, 1 },
        { "fixed value with negative count", -15, "i:15", null, 1 },
        { "two fixed values should take the first one", 10, "i:5", "i:15", 5 },
        { "two fixed values should ignore nil", 10, null, "i:7", 7 },
        { "percent value 50", 10, "s:50%", null, 5 },
        { "percent value 10", 10, "s:10%", null, 1 },
        { "negative percent value", 10, "s:-10%", null, 1 },
        { "percent value 10 with count 5", 5, "s:10%", null, 1 },
        { "no value should match count (default 100%)", 50, null, null, 50 },
        { "percentage below 1 should return 1", 5, "s:1%", null, 1 },
        { "percentages are always rounded down", 10, "s:49%", null, 4 },
        { "zero should be zero", 4, "i:0", null, 0 },
        { "zero percent is one", 4, "s:0%", null, 1 },
        { "negative integer is zero", 4, "i:-3", null, 0 },
        { "25% of 4 is 1", 4, "s:25%", null, 1 },
        { "49% of 4 is 1", 4, "s:49%", null, 1 },
        { "50% of 4 is 2", 4, "s:50%", null, 2 },
        { "25% of 230 is 57", 230, "s:25%", null, 57 },
        { "fractional percent", 1000, "s:12.5%", null, 125 },
        { "over 100% is capped at count", 10, "s:150%", null, 10 },
        { "a string holding an integer counts as that integer", 10, "s:3", null, 3 },
        // status.go:121-123 (v0.16.1): IntValue() of the string is returned before any capping.
        { "a string integer above count is not capped", 3, "s:5", null, 5 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Limit_FleetCase_ReturnsFleetsBudget(string name, int count, string? first, string? second, int expected)
    {
        Assert.True(expected == FleetLimit.Limit(count, FleetTargets.Value(first), FleetTargets.Value(second)), name);
    }

    [Theory]
    [InlineData("ten", "invalid maxUnavailable, must be int or percentage (ending with %): ten")]
    [InlineData("0", "invalid maxUnavailable, must be int or percentage (ending with %): 0")]
    [InlineData("x%", "failed to parse x%: strconv.ParseFloat: parsing \"x\": invalid syntax")]
    public void Limit_InvalidString_FailsAsFleetsReconcileDoes(string value, string message)
    {
        var ex = Assert.Throws<FleetReconcileException>(() => FleetLimit.Limit(10, IntOrPercent.FromString(value)));
        Assert.Equal(message, ex.Message);
    }
}
