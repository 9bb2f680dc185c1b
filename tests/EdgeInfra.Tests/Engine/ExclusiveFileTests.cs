using EdgeInfra.Engine.State;
using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Engine;

public sealed class ExclusiveFileTests : IDisposable
{
    private readonly TempDirectory _dir = new("edgeinfra-exclusive-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TryCreate_NameFree_CreatesTheFileWholeAndLeavesNoTemp()
    {
        var path = _dir.Combine("a.lock");

        Assert.True(ExclusiveFile.TryCreate(path, "content"u8));

        Assert.Equal("content", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void TryCreate_NameTaken_ReturnsFalseAndKeepsTheOtherContent()
    {
        var path = _dir.Combine("a.lock");
        File.WriteAllText(path, "theirs");

        Assert.False(ExclusiveFile.TryCreate(path, "mine"u8));

        Assert.Equal("theirs", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public async Task TryCreate_ManyRacers_ExactlyOneWinsAndItsContentIsWhole()
    {
        var path = _dir.Combine("race.lock");
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => ExclusiveFile.TryCreate(path, System.Text.Encoding.UTF8.GetBytes($"racer {i:D2} " + new string('x', 4096))))));

        Assert.Single(results, won => won);
        Assert.Matches("^racer [0-9]{2} x{4096}$", File.ReadAllText(path));
    }
}
