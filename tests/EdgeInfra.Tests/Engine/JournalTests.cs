using EdgeInfra.Engine.Deployment;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Tests.Engine;

public sealed class JournalTests
{
    private static string Pulumi(EngineFixture f, string file) => Path.Combine(f.Root, ".pulumi", "stacks", EngineFixture.Project, file);

    [Fact]
    public async Task Up_EachStep_AppendsToTheJournalAndNeverRewritesTheCheckpoint()
    {
        using var f = new EngineFixture();
        var first = new StackSpec("dev");
        for (var i = 0; i < 5; i++) first.File($"f{i}", "1");
        await f.Engine.UpAsync(first.Build());
        var checkpoint = await File.ReadAllBytesAsync(Pulumi(f, "dev.json"));
        var journalSizes = new List<long>();
        var checkpointsDuring = new List<byte[]>();
        f.Provider.FailOn = _ =>
        {
            journalSizes.Add(new FileInfo(Pulumi(f, "dev.journal.jsonl")).Length);
            checkpointsDuring.Add(File.ReadAllBytes(Pulumi(f, "dev.json")));
            return false;
        };
        var next = new StackSpec("dev");
        for (var i = 0; i < 5; i++) next.File($"f{i}", "2");

        await f.Engine.UpAsync(next.Build(), new() { Parallelism = 1 });

        Assert.Equal(5, journalSizes.Count);
        Assert.True(journalSizes.Zip(journalSizes.Skip(1)).All(p => p.First < p.Second), string.Join(",", journalSizes));
        Assert.All(checkpointsDuring, c => Assert.Equal(checkpoint, c));
        Assert.False(File.Exists(Pulumi(f, "dev.journal.jsonl")));
        Assert.All((await f.Backend.LoadAsync("dev")).Resources, r => Assert.Equal("2", r.Inputs["content"]));
    }

    [Fact]
    public async Task Load_JournalLeftAfterCompaction_ReplaysIdempotently()
    {
        using var f = new EngineFixture();
        var spec = new StackSpec("dev").File("a", "1").File("b", "1");
        await f.Engine.UpAsync(spec.Build());
        var c = new StackSpec("dev").File("c", "1").Build().Resources[0];
        StackSnapshot compacted;
        byte[] journal;
        await using (var held = await f.Backend.LockAsync("dev", LockHolder.Current("t", "test")))
        await using (var w = f.Backend.OpenWriter(held))
        {
            w.Done(Deployer.StateOf(c, "files/c.yaml", PropertyMap.Empty, null, null));
            w.Removed(spec.UrnOf("b"), "deleted");
            w.Pending(new PendingOperation(PendingKind.Updating, (await f.Backend.LoadAsync("dev")).ByUrn[spec.UrnOf("a")], null, null));
            await w.FlushAsync(durable: false);
            journal = await File.ReadAllBytesAsync(Pulumi(f, "dev.journal.jsonl"));
            compacted = await f.Backend.LoadAsync("dev");
            await w.CompactAsync(compacted);
        }
        // A crash between the checkpoint rename and the journal reset leaves the old journal behind.
        await File.WriteAllBytesAsync(Pulumi(f, "dev.journal.jsonl"), journal);

        var replayed = await f.Backend.LoadAsync("dev");

        Assert.Equal(compacted.Resources.Select(r => r.Urn), replayed.Resources.Select(r => r.Urn));
        Assert.Equal(["a", "c"], replayed.Resources.Select(r => r.Urn.Name));
        Assert.Equal(spec.UrnOf("a"), Assert.Single(replayed.PendingOperations).Resource.Urn);
    }

    [Fact]
    public async Task Append_AfterAKillTornTheLastRecord_LoadsWithoutACorruptLine()
    {
        using var f = new EngineFixture();
        var spec = new StackSpec("dev").File("a", "1").File("b", "1");
        await f.Engine.UpAsync(spec.Build());
        await using (var held = await f.Backend.LockAsync("dev", LockHolder.Current("t", "test")))
        await using (var w = f.Backend.OpenWriter(held))
        {
            w.Removed(spec.UrnOf("b"), "deleted");
            await w.FlushAsync(durable: false);
        }
        // A kill -9 in the middle of the next record: half a line, no newline.
        await File.AppendAllTextAsync(Pulumi(f, "dev.journal.jsonl"), "{\"t\":\"removed\",\"urn\":\"urn:pulu");

        await using (var held = await f.Backend.LockAsync("dev", LockHolder.Current("t", "test")))
        await using (var w = f.Backend.OpenWriter(held))
        {
            w.Removed(spec.UrnOf("a"), "deleted");
            await w.FlushAsync(durable: false);
        }
        var loaded = await f.Backend.LoadAsync("dev");

        Assert.Empty(loaded.Resources);
        Assert.All(await File.ReadAllLinesAsync(Pulumi(f, "dev.journal.jsonl")), l => Assert.StartsWith("{\"t\":", l, StringComparison.Ordinal));
    }
}
