using LibGit2Sharp;

namespace EdgeInfra.Providers.FleetRepo;

/// <summary>Tells whether two fleet-repo commits hold the same bundle dirs for a ring (<c>apps/*/&lt;ring&gt;</c>, the
/// layout of <c>FleetRepoLayout.BundleDir</c>).</summary>
/// <remarks>
/// Fleet relabels every BundleDeployment of a GitRepo with the commit it last read, whether or not that commit
/// changed the bundle (fleet.md §5.5), so a ring applied at commit R carries a later commit's label as soon as any
/// other ring is committed. A BD labelled with such a later commit still runs R's content when the ring's dirs are
/// byte-identical in both trees, which is what this compares (git tree ids, so no file is read). A local fleet repo
/// (the lab's) is read in place; a remote one through a cache clone of its own, fetched when a commit is not known yet.
/// Thread-safe: lookups are serialised (LibGit2Sharp repositories are not).
/// </remarks>
public sealed class RingContentHistory : IRingContent, IDisposable
{
    private readonly object _gate = new();
    private readonly FleetRepoCache? _cache;
    private readonly Repository? _local;
    private readonly Dictionary<(string Ring, string Commit), string?> _signatures = [];

    public RingContentHistory(FleetRepoOptions options, FleetRepoCredentials? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var remote = FleetRepoRemote.Resolve(options.RemoteUrl, credentials);
        if (remote.Transport == FleetRepoTransport.Local && remote.LocalPath is { } path && Repository.IsValid(path))
            _local = new Repository(path);
        else
            _cache = new FleetRepoCache(options, credentials);
    }

    /// <summary>True when <paramref name="other"/> holds exactly the ring's bundle dirs of <paramref name="revision"/>;
    /// false when they differ or either commit cannot be found.</summary>
    public bool SameRingContent(string ring, string revision, string other)
    {
        if (revision == other) return true;
        lock (_gate)
        {
            var a = Signature(ring, revision);
            var b = a is null ? null : Signature(ring, other);
            return a is not null && a == b;
        }
    }

    /// <summary>The ring's bundle dirs in a commit as "app=tree id" lines; null when the commit is unknown.</summary>
    private string? Signature(string ring, string sha)
    {
        if (_signatures.TryGetValue((ring, sha), out var known)) return known;
        var commit = Find(sha);
        if (commit is null) return null; // not cached: a later fetch may bring it
        var dirs = new List<string>();
        if (commit.Tree["apps"]?.Target is Tree apps)
            foreach (var app in apps.Where(e => e.TargetType == TreeEntryTargetType.Tree).OrderBy(e => e.Name, StringComparer.Ordinal))
                if (((Tree)app.Target)[ring] is { } dir)
                    dirs.Add($"{app.Name}={dir.Target.Sha}");
        var signature = string.Join("\n", dirs);
        _signatures[(ring, sha)] = signature;
        return signature;
    }

    private Commit? Find(string sha)
    {
        if (sha.Length == 0) return null;
        if (_local is not null) return _local.Lookup<Commit>(sha);
        try
        {
            if (_cache!.Repository.Lookup<Commit>(sha) is { } found) return found;
            _cache.Fetch(CancellationToken.None);
            return _cache.Repository.Lookup<Commit>(sha);
        }
        catch (FleetRepoException)
        {
            return null; // unreachable remote or busy cache: not known to be equivalent, so the store stays pending
        }
    }

    public void Dispose()
    {
        _local?.Dispose();
        _cache?.Dispose();
    }
}
