using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Persistence;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Rollout.Audit;

public sealed class AuditLogTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly RolloutPaths _paths;

    public AuditLogTests() => _paths = RolloutPaths.For(_dir.Path, "prod");

    private async Task<AuditLog> Write(int entries)
    {
        var log = new AuditLog(_paths);
        for (var i = 0; i < entries; i++)
            await log.AppendAsync(new AuditRecord(T0.AddMinutes(i), "ops@example.com", AuditActions.Promote, "prod", $"ring-{i}",
                "pos-app=2.5.0", $"gates passed {i}", [$"store-{i}"], new Dictionary<string, string> { ["commit"] = $"c{i}" }));
        return log;
    }

    [Fact]
    public async Task Read_AppendedEntries_ChainIntactAndEachCarriesThePreviousHash()
    {
        var log = await Write(4);

        var reading = log.Read();

        Assert.True(reading.Intact, string.Join("\n", reading.Problems));
        Assert.Equal([1L, 2, 3, 4], reading.Entries.Select(e => e.Seq));
        Assert.Equal(AuditLog.Genesis, reading.Entries[0].Prev);
        for (var i = 1; i < 4; i++) Assert.Equal(reading.Entries[i - 1].Hash, reading.Entries[i].Prev);
        Assert.Equal("c2", reading.Entries[2].Record.Data!["commit"]);
        Assert.Equal(["store-3"], reading.Entries[3].Record.Stores);
    }

    [Theory]
    [InlineData("edit")]
    [InlineData("delete")]
    [InlineData("swap")]
    [InlineData("truncate")]
    [InlineData("rehash")]
    public async Task Read_TamperedPastEntry_Detected(string tamper)
    {
        await Write(4);
        var lines = File.ReadAllLines(_paths.Audit).ToList();
        switch (tamper)
        {
            case "edit": lines[1] = lines[1].Replace("ops@example.com", "mallory@example.com", StringComparison.Ordinal); break;
            case "delete": lines.RemoveAt(1); break;
            case "swap": (lines[1], lines[2]) = (lines[2], lines[1]); break;
            case "truncate": lines.RemoveAt(3); break;
            case "rehash":
                // Edit an entry and recompute its own hash: the next entry's prev still names the original.
                var edited = lines[1].Replace("gates passed 1", "gates skipped", StringComparison.Ordinal);
                var doc = System.Text.Json.JsonDocument.Parse(edited);
                var raw = doc.RootElement.GetProperty("entry").GetRawText();
                var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(raw)));
                lines[1] = $"{{\"entry\":{raw},\"hash\":\"{hash}\"}}";
                break;
        }
        File.WriteAllLines(_paths.Audit, lines);

        var reading = new AuditLog(_paths).Read();

        Assert.False(reading.Intact);
        Assert.NotEmpty(reading.Problems);
    }

    [Fact]
    public async Task AppendAsync_SameKeyTwice_RecordedOnceEvenFromANewInstance()
    {
        var record = new AuditRecord(T0, "walker", AuditActions.Promote, "prod", "canary", Key: "promote:r1:canary");
        Assert.NotNull(await new AuditLog(_paths).AppendAsync(record));
        Assert.Null(await new AuditLog(_paths).AppendAsync(record));

        Assert.Single(new AuditLog(_paths).Read().Entries);
    }

    [Fact]
    public async Task AppendAsync_AfterATornLastLine_DropsItAndKeepsTheChainIntact()
    {
        await Write(2);
        File.AppendAllText(_paths.Audit, "{\"entry\":{\"seq\":3,\"ti"); // a kill mid-append

        await new AuditLog(_paths).AppendAsync(new AuditRecord(T0, "ops", AuditActions.Freeze, "prod", Reason: "Black Friday"));

        var reading = new AuditLog(_paths).Read();
        Assert.True(reading.Intact, string.Join("\n", reading.Problems));
        Assert.Equal([1L, 2, 3], reading.Entries.Select(e => e.Seq));
        Assert.Equal(AuditActions.Freeze, reading.Entries[2].Record.Action);
    }

    [Fact]
    public async Task AppendAsync_ConcurrentWriters_EveryEntryChainedOnce()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            var log = new AuditLog(_paths);
            for (var j = 0; j < 10; j++)
                await log.AppendAsync(new AuditRecord(T0, $"writer-{i}", AuditActions.Observe, "prod", Reason: $"{i}/{j}"));
        })));

        var reading = new AuditLog(_paths).Read();
        Assert.True(reading.Intact, string.Join("\n", reading.Problems));
        Assert.Equal(80, reading.Entries.Count);
    }

    public void Dispose() => _dir.Dispose();
}
