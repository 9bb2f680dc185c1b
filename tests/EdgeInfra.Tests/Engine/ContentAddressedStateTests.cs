using System.Collections.Immutable;
using EdgeInfra.Engine.Config;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Tests.Engine;

/// <summary>Checkpoints and history store each distinct large value (a rendered file) once, by content.</summary>
public sealed class ContentAddressedStateTests
{
    private const int Files = 200;
    private static readonly string Filler = new('y', 2_000);

    private static string Content(int i, int release) => $"file {i}\n{Filler}\nrelease {(i < 3 ? release : 0)}\n";

    /// <summary>200 files of ~2 KB; a release changes three of them.</summary>
    private static DesiredStack Release(int release)
    {
        var spec = new StackSpec("prod.canary");
        for (var i = 0; i < Files; i++) spec.File($"f{i}", Content(i, release));
        return spec.Build();
    }

    private static long StateBytes(EngineFixture f) =>
        Directory.GetFiles(Path.Combine(f.Root, ".pulumi"), "*", SearchOption.AllDirectories).Sum(p => new FileInfo(p).Length);

    [Fact]
    public async Task Up_TenReleasesChangingThreeFiles_StateGrowsByWhatChangedAndEveryVersionReadsBack()
    {
        using var f = new EngineFixture();
        await f.Engine.UpAsync(Release(1));
        var first = StateBytes(f);
        for (var release = 2; release <= 10; release++) await f.Engine.UpAsync(Release(release));
        var grown = StateBytes(f) - first;

        // 400 KB of distinct content, stored once for the checkpoint and the history version together.
        Assert.True(first < Files * Filler.Length * 3 / 2, $"first release: {first} bytes of state");
        Assert.True(grown < 9 * 40_000, $"nine releases of three changed files grew the state by {grown} bytes");
        var reopened = new FileStateBackend(f.Root, EngineFixture.Project, f.Time, null);
        var state = await reopened.LoadAsync("prod.canary");
        Assert.Equal(Content(1, 10), state.Resources.Single(r => r.Urn.Name == "f1").Inputs["content"]);
        for (var version = 1; version <= 10; version++)
        {
            var desired = await reopened.LoadHistoryDesiredAsync("prod.canary", version);
            Assert.Equal(Content(2, version), desired.Resources.Single(r => r.Urn.Name == "f2").Inputs["content"]);
            Assert.Equal(Content(7, version), desired.Resources.Single(r => r.Urn.Name == "f7").Inputs["content"]);
        }
    }

    [Fact]
    public async Task Load_CheckpointWithEveryValueInline_ReadsTheSameAndTheNextWriteStoresContentOnce()
    {
        using var f = new EngineFixture();
        var stack = "prod.canary";
        var root = Urn.Create(stack, EngineFixture.Project, Urn.StackRootType, $"{EngineFixture.Project}-{stack}");
        var resources = Enumerable.Range(0, Files).Select(i => new ResourceState(Urn.CreateChild(root, "test:index:File", $"f{i}"),
            true, $"id{i}", null, "fake", PropertyMap.Of(("content", Content(i, 1)), ("path", $"files/f{i}.yaml")), PropertyMap.Empty)).ToList();
        var checkpoint = Path.Combine(f.Root, ".pulumi", "stacks", EngineFixture.Project, stack + ".json");
        // The format every earlier version wrote: no content store.
        CheckpointFile.Write(checkpoint, EngineFixture.Project,
            new StackSnapshot(stack, resources, [], ImmutableSortedDictionary<string, string>.Empty, null),
            new SecretCodec((ISecretsManager?)null), f.Time.GetUtcNow());
        var inlineBytes = new FileInfo(checkpoint).Length;

        var loaded = await f.Backend.LoadAsync(stack);
        var plan = await f.Engine.PreviewAsync(Release(1));
        await f.Engine.UpAsync(Release(2));

        Assert.Equal(resources.Select(r => r.Inputs), loaded.Resources.Select(r => r.Inputs));
        Assert.False(plan.HasChanges);
        Assert.True(new FileInfo(checkpoint).Length < inlineBytes / 4, $"{new FileInfo(checkpoint).Length} of {inlineBytes} bytes");
        Assert.DoesNotContain(Filler, File.ReadAllText(checkpoint));
        var reread = await new FileStateBackend(f.Root, EngineFixture.Project, f.Time, null).LoadAsync(stack);
        Assert.Equal(Content(0, 2), reread.Resources.Single(r => r.Urn.Name == "f0").Inputs["content"]);
    }

    [Fact]
    public async Task LoadHistoryDesiredAsync_VersionRecordedBeforeChunking_ReadsItsInlineResources()
    {
        using var f = new EngineFixture();
        var dir = Path.Combine(f.Root, ".pulumi", "history", EngineFixture.Project, "prod.canary");
        Directory.CreateDirectory(Path.Combine(dir, "desired"));
        File.WriteAllText(Path.Combine(dir, "v000001.start.json"), """
            {"version": 1, "kind": "update", "startTime": "2026-12-01T18:00:00.0000000Z", "actor": "a", "message": "m", "desired": "0123abcd"}
            """);
        using (var gz = new System.IO.Compression.GZipStream(File.Create(Path.Combine(dir, "desired", "0123abcd.json.gz")),
                   System.IO.Compression.CompressionLevel.Fastest))
            gz.Write(System.Text.Encoding.UTF8.GetBytes("""
                {"stack":"prod.canary","project":"edge-infra","outputs":{"count":"1"},"resources":[
                {"urn":"urn:pulumi:prod.canary::edge-infra::test:index:File::a","custom":true,"provider":"fake",
                 "inputs":{"content":"old\nformat","path":"files/a.yaml"}}]}
                """));

        var desired = await f.Backend.LoadHistoryDesiredAsync("prod.canary", 1);

        Assert.Equal("old\nformat", desired.Resources.Single().Inputs["content"]);
        Assert.Equal("1", desired.Outputs["count"]);
    }

    [Fact]
    public async Task Up_SecretLargeValue_IsNeverWrittenToTheContentStore()
    {
        using var f = new EngineFixture(new FakeSecrets());
        var secret = "token=" + new string('s', 1_000);

        await f.Engine.UpAsync(new StackSpec("prod.canary").File("creds", secret, secret: true).File("plain", Content(5, 1)).Build());

        var files = Directory.GetFiles(Path.Combine(f.Root, ".pulumi"), "*", SearchOption.AllDirectories).Select(File.ReadAllText);
        var packed = new ContentStore(Path.Combine(f.Root, ".pulumi", "blobs")).StoredValues().ToList();
        Assert.DoesNotContain(files.Concat(packed), s => s.Contains(secret, StringComparison.Ordinal));
        Assert.Contains(packed, s => s.Contains(Content(5, 1).ReplaceLineEndings("\\n"), StringComparison.Ordinal));
        var state = await new FileStateBackend(f.Root, EngineFixture.Project, f.Time, new FakeSecrets()).LoadAsync("prod.canary");
        Assert.Equal(secret, state.Resources.Single(r => r.Urn.Name == "creds").Inputs["content"]);
    }

    [Fact]
    public async Task Load_PackFileMissing_FailsNamingTheMissingContent()
    {
        using var f = new EngineFixture();
        await f.Engine.UpAsync(Release(1));
        foreach (var pack in Directory.GetFiles(Path.Combine(f.Root, ".pulumi", "blobs"))) File.Delete(pack);

        var e = await Assert.ThrowsAsync<InvalidDataException>(async () =>
            await new FileStateBackend(f.Root, EngineFixture.Project, f.Time, null).LoadAsync("prod.canary"));

        Assert.Contains("no stored content with SHA-256", e.Message);
    }
}
