using EdgeInfra.Components.Text;

namespace EdgeInfra.Tests.Components;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("30s", 30)]
    [InlineData("10m", 600)]
    [InlineData("1h30m", 5_400)]
    [InlineData(" 2h ", 7_200)]
    [InlineData("1.5h", 5_400)]
    [InlineData("1d", 86_400)]
    public void TryParse_StackDuration_Parses(string text, int seconds)
    {
        Assert.True(DurationText.TryParse(text, out var span));
        Assert.Equal(TimeSpan.FromSeconds(seconds), span);
    }

    [Theory]
    [InlineData("500ms")]
    [InlineData("1m500ms")]
    [InlineData("soon")]
    [InlineData("10")]
    [InlineData("-5m")]
    [InlineData("")]
    public void TryParse_NotAStackDuration_Refused(string text)
    {
        Assert.False(DurationText.TryParse(text, out var span));
        Assert.Equal(TimeSpan.Zero, span);
    }

    [Fact]
    public void TryParse_MillisecondsAllowed_AddsEveryPart()
    {
        Assert.True(DurationText.TryParse("1m500ms", out var span, allowMilliseconds: true));
        Assert.Equal(TimeSpan.FromMilliseconds(60_500), span);
    }
}
