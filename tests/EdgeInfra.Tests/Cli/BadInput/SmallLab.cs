using System.Security.Cryptography;

namespace EdgeInfra.Tests.Cli.BadInput;

/// <summary>The shipped lab project cut to its first stores (the classic three among them), so a bad-input case runs in
/// milliseconds; with <see cref="State"/> and <see cref="FleetRepoFiles"/> to prove a refused run changed nothing.</summary>
internal sealed class SmallLab : IDisposable
{
    public const string Stack = "lab";
    public const string InventoryName = "stacks/lab/stores.yaml";
    public const string StackFileName = "Pulumi.lab.yaml";
    public const string ProjectFileName = "Pulumi.yaml";

    private readonly LabProject _lab = new();

    public SmallLab(int stores = 20)
    {
        var text = File.ReadAllText(_lab.LabInventory);
        var items = text.Split("\n  - id: ");
        File.WriteAllText(_lab.LabInventory, string.Join("\n  - id: ", items.Take(stores + 1)).TrimEnd() + "\n");
        Stores = stores;
    }

    public int Stores { get; }
    public string Dir => _lab.Dir;
    public string FleetRepo => _lab.FleetRepo;
    public string Path(string relative) => System.IO.Path.Combine(Dir, relative);

    public Task<CliRun> Run(params string[] args) => _lab.Run(args);

    public Task<CliRun> Preview() => Run("preview", "--stack", Stack);

    public Task<CliRun> UpAll(params string[] extra) => Run(["up", "--stack", Stack, "--all-rings", "--yes", .. extra]);

    public string Read(string relative) => File.ReadAllText(Path(relative));

    public void Write(string relative, string text) => File.WriteAllText(Path(relative), text);

    public void Edit(string relative, Func<string, string> change) => _lab.Edit(Path(relative), change);

    /// <summary>Every file under <c>.edgeinfra/</c> (state, cache, the lab's bare fleet repo) with its hash.</summary>
    public SortedDictionary<string, string> State() => Files(f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    /// <summary>Every file under <c>.edgeinfra/</c> with its size and modification time: what any write changes, and
    /// cheap enough to take around each of a thousand runs.</summary>
    public SortedDictionary<string, string> StateStamps() =>
        Files(f => new FileInfo(f) is var i ? $"{i.Length}@{i.LastWriteTimeUtc.Ticks}" : "");

    private SortedDictionary<string, string> Files(Func<string, string> stamp)
    {
        var root = Path(".edgeinfra");
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root)) return files;
        foreach (var f in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            files[System.IO.Path.GetRelativePath(root, f)] = stamp(f);
        return files;
    }

    /// <summary>The files of the fleet repo's branch head (empty before the first up).</summary>
    public IReadOnlyDictionary<string, string> FleetRepoFiles() =>
        Directory.Exists(FleetRepo) ? FleetRepoInspector.Files(FleetRepo) : new Dictionary<string, string>();

    public void Dispose() => _lab.Dispose();
}
