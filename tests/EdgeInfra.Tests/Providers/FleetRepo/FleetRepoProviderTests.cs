using EdgeInfra.Engine;
using EdgeInfra.Providers.FleetRepo;
using EdgeInfra.Tests.Fixtures;

namespace EdgeInfra.Tests.Providers.FleetRepo;

/// <summary>The fleet repo provider against a local bare repo (the lab's setup), judged by the real git CLI.</summary>
public sealed class FleetRepoProviderTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FleetRepoTestKit _kit;
    private readonly BareRepo _remote;

    public FleetRepoProviderTests()
    {
        var path = _dir.Combine("project", ".edgeinfra", "fleet.git");
        _kit = new FleetRepoTestKit(path);
        _remote = new BareRepo(path);
    }

    public void Dispose()
    {
        _kit.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task CompleteAsync_NewFiles_OneCommitWithMessageAndTrailerBlock()
    {
        var provider = _kit.Provider();
        await provider.BeginAsync(FleetRepoTestKit.Change(), CancellationToken.None);
        var a = await provider.CreateAsync(FleetRepoTestKit.File("apps/pos-app/canary/fleet.yaml", "defaultNamespace: pos\n"), CancellationToken.None);
        var b = await provider.CreateAsync(FleetRepoTestKit.File("hub/clusters/store-lisbon.yaml", "kind: Cluster\n"), CancellationToken.None);
        var sha = await provider.CompleteAsync(CancellationToken.None);

        Assert.Equal(_remote.Tip(), sha);
        Assert.Equal(1, _remote.CommitCount());
        Assert.Equal(
            "Roll pos-app 2.4.1 to canary\n\n" +
            "Edge-Stack: prod.canary\nEdge-Ring: canary\nEdge-Release: pos-app@2.4.1\nEdge-Actor: jane@example.test\n" +
            "Edge-Source-Commit: 0123456789abcdef0123456789abcdef01234567\nEdge-Stores: 6\n\n",
            _remote.Message(sha!));
        // git itself must read the block as trailers, in order.
        Assert.Equal(
            "Edge-Stack: prod.canary\nEdge-Ring: canary\nEdge-Release: pos-app@2.4.1\nEdge-Actor: jane@example.test\n" +
            "Edge-Source-Commit: 0123456789abcdef0123456789abcdef01234567\nEdge-Stores: 6\n",
            _remote.Git("log", "-1", "--format=%(trailers:only,unfold)", sha!).TrimEnd('\n') + "\n");
        Assert.Equal("EdgeInfra <edgeinfra@example.test> 1773480413 +0000", _remote.Git("log", "-1", "--format=%an <%ae> %at %ad", "--date=format:%z", sha!).Trim());
        Assert.Equal("defaultNamespace: pos\n", _remote.Show(sha!, "apps/pos-app/canary/fleet.yaml"));
        Assert.Equal("kind: Cluster\n", _remote.Show(sha!, "hub/clusters/store-lisbon.yaml"));
        Assert.Equal("apps/pos-app/canary/fleet.yaml", a.Id);
        Assert.Equal(_remote.Git("rev-parse", $"{sha}:apps/pos-app/canary/fleet.yaml").Trim(), a.Outputs[FleetRepoProvider.BlobOutput]);
        Assert.Equal(_remote.Git("rev-parse", $"{sha}:hub/clusters/store-lisbon.yaml").Trim(), b.Outputs[FleetRepoProvider.BlobOutput]);
    }

    [Fact]
    public async Task BeginAsync_LocalRemoteMissing_CreatesBareRepoWithBranchAsHead()
    {
        var provider = _kit.Provider();
        await provider.BeginAsync(FleetRepoTestKit.Change(), CancellationToken.None);

        Assert.Equal("true", _remote.Git("rev-parse", "--is-bare-repository").Trim());
        Assert.Equal("refs/heads/main", _remote.Git("symbolic-ref", "HEAD").Trim());
        Assert.Null(await provider.CompleteAsync(CancellationToken.None));
    }

    [Fact]
    public async Task CompleteAsync_SecondRunChangesOneFile_CommitTouchesExactlyThatPath()
    {
        var files = Enumerable.Range(0, 5).Select(i => ($"clusters/store-{i}/cluster.yaml", (string?)$"store: {i}\n")).ToArray();
        var first = await _kit.RunAsync(_kit.Provider(), files);
        files[3].Item2 = "store: 3\nlabels: {rollout-ring: canary}\n";
        _kit.Clock.Advance(TimeSpan.FromMinutes(5));

        var second = await _kit.RunAsync(_kit.Provider(), files);

        Assert.NotEqual(first, second);
        Assert.Equal([first!], _remote.Parents(second!));
        Assert.Equal(["M\tclusters/store-3/cluster.yaml"], _remote.Diff(second!));
        Assert.Equal(files[3].Item2, _remote.Show(second!, "clusters/store-3/cluster.yaml"));
    }

    [Fact]
    public async Task CompleteAsync_NothingDiffers_MakesNoCommitAndReturnsTip()
    {
        var first = await _kit.RunAsync(_kit.Provider(), ("a.yaml", "a\n"), ("b/c.yaml", "c\n"));

        var again = await _kit.RunAsync(_kit.Provider(), ("a.yaml", "a\n"), ("b/c.yaml", "c\n"), ("gone.yaml", null));
        var empty = await _kit.RunAsync(_kit.Provider());

        Assert.Equal(first, again);
        Assert.Equal(first, empty);
        Assert.Equal(1, _remote.CommitCount());
    }

    [Fact]
    public async Task DeleteAsync_StagedRemoval_RemovesPathAndEmptyDirectory()
    {
        await _kit.RunAsync(_kit.Provider(), ("keep.yaml", "k\n"), ("stores/budapest/config.yaml", "b\n"));

        var sha = await _kit.RunAsync(_kit.Provider(), ("stores/budapest/config.yaml", null));

        Assert.Equal(["D\tstores/budapest/config.yaml"], _remote.Diff(sha!));
        Assert.Equal(["keep.yaml"], _remote.Files(sha!));
    }

    [Fact]
    public async Task DeleteAsync_SamePathWrittenInSameRun_WriteWins()
    {
        await _kit.RunAsync(_kit.Provider(), ("x.yaml", "old\n"));
        var provider = _kit.Provider();
        await provider.BeginAsync(FleetRepoTestKit.Change(), CancellationToken.None);
        await provider.CreateAsync(FleetRepoTestKit.File("x.yaml", "new\n"), CancellationToken.None);
        await provider.DeleteAsync(FleetRepoTestKit.State("x.yaml"), CancellationToken.None);
        var sha = await provider.CompleteAsync(CancellationToken.None);

        Assert.Equal("new\n", _remote.Show(sha!, "x.yaml"));
    }

    [Fact]
    public async Task ReadAsync_HandEditByAnotherClone_ReportsLiveContent()
    {
        await _kit.RunAsync(_kit.Provider(), ("apps/pos/canary/fleet.yaml", "replicas: 1\n"), ("other.yaml", "o\n"));
        GitCli.CommitAndPush(_remote.Path, "main", _dir.Combine("hand"), "hand edit", ("apps/pos/canary/fleet.yaml", "replicas: 9\n"));
        GitCli.Run(_dir.Combine("hand"), "rm", "-q", "other.yaml");
        GitCli.Run(_dir.Combine("hand"), "commit", "-q", "-m", "remove other");
        GitCli.Run(_dir.Combine("hand"), "push", "-q", "origin", "HEAD:refs/heads/main");

        var provider = _kit.Provider();
        var state = FleetRepoTestKit.State("apps/pos/canary/fleet.yaml", "replicas: 1\n");
        var live = await provider.ReadAsync(state, CancellationToken.None);
        var gone = await provider.ReadAsync(FleetRepoTestKit.State("other.yaml", "o\n"), CancellationToken.None);

        Assert.NotNull(live);
        Assert.Equal("apps/pos/canary/fleet.yaml", live.Id);
        Assert.Equal("replicas: 9\n", live.Inputs[FleetRepoProvider.ContentKey]);
        Assert.Equal("apps/pos/canary/fleet.yaml", live.Inputs[FleetRepoProvider.PathKey]);
        Assert.Equal(_remote.Git("rev-parse", "main:apps/pos/canary/fleet.yaml").Trim(), live.Outputs[FleetRepoProvider.BlobOutput]);
        Assert.Null(gone);
    }

    [Fact]
    public async Task ReadAsync_AfterComplete_SeesOwnCommitWithoutFetchingAgain()
    {
        var provider = _kit.Provider();
        await _kit.RunAsync(provider, ("a.yaml", "a1\n"));

        var live = await provider.ReadAsync(FleetRepoTestKit.State("a.yaml"), CancellationToken.None);

        Assert.Equal("a1\n", live!.Inputs[FleetRepoProvider.ContentKey]);
    }

    [Fact]
    public async Task CreateAsync_ManyConcurrentStagers_AllFilesInOneCommit()
    {
        var provider = _kit.Provider();
        await provider.BeginAsync(FleetRepoTestKit.Change(), CancellationToken.None);
        var results = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var r = await provider.CreateAsync(FleetRepoTestKit.File($"stores/s{i % 50}/store-{i}.yaml", $"id: {i}\n"), ct);
            results.Add(r.Id);
            if (i % 7 == 0) await provider.DeleteAsync(FleetRepoTestKit.State($"never-existed-{i}.yaml"), ct);
        });
        var sha = await provider.CompleteAsync(CancellationToken.None);

        Assert.Equal(2000, results.Distinct().Count());
        Assert.Equal(1, _remote.CommitCount());
        var files = _remote.Files(sha!);
        Assert.Equal(2000, files.Count);
        Assert.Equal("id: 1234\n", _remote.Show(sha!, "stores/s34/store-1234.yaml"));
    }

    [Fact]
    public async Task CompleteAsync_TenThousandFilesThenOneChanged_SecondCommitTouchesOnlyThatPath()
    {
        var files = Enumerable.Range(0, 10_000)
            .Select(i => ($"clusters/region-{i % 20}/store-{i:D5}/cluster.yaml", (string?)$"kind: Cluster\nname: store-{i:D5}\n"))
            .ToArray();
        var first = await _kit.RunAsync(_kit.Provider(), files);
        files[4321].Item2 = "kind: Cluster\nname: store-04321\nlabels: {moved: yes}\n";

        var second = await _kit.RunAsync(_kit.Provider(), files);

        Assert.Equal(10_000, _remote.Files(first!).Count);
        Assert.Equal(["M\tclusters/region-1/store-04321/cluster.yaml"], _remote.Diff(second!));
        Assert.Equal(2, _remote.CommitCount());
    }

    [Fact]
    public async Task ReadAsync_RemoteMovesDuringRun_KeepsTheTipFetchedOnce()
    {
        await _kit.RunAsync(_kit.Provider(), ("a.yaml", "a1\n"));
        var provider = _kit.Provider();
        var first = await provider.ReadAsync(FleetRepoTestKit.State("a.yaml"), CancellationToken.None);
        GitCli.CommitAndPush(_remote.Path, "main", _dir.Combine("hand"), "hand edit", ("a.yaml", "a2\n"));

        var second = await provider.ReadAsync(FleetRepoTestKit.State("a.yaml"), CancellationToken.None);
        var fresh = await _kit.Provider().ReadAsync(FleetRepoTestKit.State("a.yaml"), CancellationToken.None);

        Assert.Equal("a1\n", first!.Inputs[FleetRepoProvider.ContentKey]);
        Assert.Equal("a1\n", second!.Inputs[FleetRepoProvider.ContentKey]);
        Assert.Equal("a2\n", fresh!.Inputs[FleetRepoProvider.ContentKey]);
    }

    [Fact]
    public async Task ReadAsync_BranchDeletedOnRemote_ReportsAbsentFromTheSameCache()
    {
        var options = _kit.Options();
        await _kit.RunAsync(_kit.Provider(options), ("a.yaml", "a\n"));
        _remote.Git("update-ref", "-d", "refs/heads/main");

        var live = await _kit.Provider(options).ReadAsync(FleetRepoTestKit.State("a.yaml"), CancellationToken.None);

        Assert.Null(live);
    }

    [Fact]
    public async Task BeginAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _kit.Provider().BeginAsync(FleetRepoTestKit.Change(), cts.Token).AsTask());
    }

    [Fact]
    public async Task BeginAsync_CacheOverPackLimit_RecloneKeepsPackCountBoundedAndResultsRight()
    {
        var options = _kit.Options();
        var counts = new List<int>();
        for (var run = 1; run <= 6; run++)
        {
            using var provider = new FleetRepoProvider(options, _kit.Clock, null, maxCachePacks: 2);
            await _kit.RunAsync(provider, ("a.yaml", $"run {run}\n"), ($"f{run}.yaml", "x\n"));
            counts.Add(Directory.GetFiles(Path.Combine(options.CacheDir, "objects", "pack"), "*.pack").Length);
        }

        Assert.All(counts, c => Assert.InRange(c, 1, 4));
        Assert.Contains(counts.Zip(counts.Skip(1)), p => p.Second < p.First);
        Assert.Equal(6, _remote.CommitCount());
        Assert.Equal("run 6\n", _remote.Show("main", "a.yaml"));
        Assert.True(File.Exists(Path.Combine(options.CacheDir, "edgeinfra-cache")));
    }

    [Fact]
    public async Task ForLab_FreshProject_CreatesTheProjectsBareRepoAndCommitsToMain()
    {
        var project = _dir.Combine("lab-project");
        var options = FleetRepoOptions.ForLab(project, "lab.retail-region-1");
        using var provider = new FleetRepoProvider(options, _kit.Clock);

        var sha = await _kit.RunAsync(provider, ("apps/x/retail-region-1/fleet.yaml", "x\n"));

        var lab = new BareRepo(Path.Combine(project, ".edgeinfra", "fleet.git"));
        Assert.Equal(lab.Tip(), sha);
        Assert.Empty(options.Problems());
        Assert.Equal(Path.Combine(project, ".edgeinfra", "cache", "fleetrepo", "lab.retail-region-1"), options.CacheDir);
    }

    [Fact]
    public async Task ReadAsync_ManyConcurrentReaders_EachGetsItsOwnFile()
    {
        var files = Enumerable.Range(0, 300).Select(i => ($"s/{i % 10}/f{i}.yaml", (string?)$"n: {i}\n")).ToArray();
        await _kit.RunAsync(_kit.Provider(), files);
        var provider = _kit.Provider();
        var read = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();

        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (f, ct) =>
            read[f.Item1] = (await provider.ReadAsync(FleetRepoTestKit.State(f.Item1), ct))!.Inputs[FleetRepoProvider.ContentKey]);

        Assert.All(files, f => Assert.Equal(f.Item2, read[f.Item1]));
    }

    [Fact]
    public async Task CompleteAsync_EmptyMessage_UsesDefaultSubject()
    {
        var provider = _kit.Provider();
        await provider.BeginAsync(new global::EdgeInfra.Engine.Providers.ChangeDescription("lab.all", "  ", []), CancellationToken.None);
        await provider.CreateAsync(FleetRepoTestKit.File("a", "a"), CancellationToken.None);

        var sha = await provider.CompleteAsync(CancellationToken.None);

        Assert.Equal("edgeinfra: update lab.all\n\n", _remote.Message(sha!));
    }
}
