using LibGit2Sharp;

namespace EdgeInfra.Providers.FleetRepo;

/// <summary>Tells whether a fleet-repo commit stands for a ring's revision: it descends from the revision, or it holds the
/// same bundle dirs for the ring (<c>apps/*/&lt;ring&gt;</c>, the layout of <c>FleetRepoLayout.BundleDir</c>).</summary>
/// <remarks>
/// Fleet relabels every BundleDeployment of a GitRepo with the commit it last read, whether or not that commit
/// changed the bundle (fleet.md §5.5), so a ring applied at commit R carries a later commit's label as soon as any
/// other ring is committed. Ancestry decides first: a store that caught up late carries the label of a commit made after
/// R (a catch-up release, which may also re-render the ring's dirs, is not a ring revision), and it runs R's change or a
/// later one. A commit that is not a descendant (an older one, or another branch) still stands for R when the ring's dirs
/// are byte-identical in both trees (git tree ids, so no file is read). A local fleet repo
/// (the lab's) is read in place, opened at the first lookup it answers (a rehearsal's repo is created by its first
/// apply, after this reader: a cache clone of it was fetched again at every lookup of a commit not committed yet); a
/// remote one through a cache clone of its own, fetched when a commit is not known yet.
/// Thread-safe: lookups are serialised (LibGit2Sharp repositories are not).
/// </remarks>
public sealed class RingContentHistory : IRingContent, IDisposable
{
    private readonly object _gate = new();
    private readonly FleetRepoCache? _cache;
    private readonly string? _localPath;
    private Repository? _local;
    private readonly Dictionary<(string Ring, string Commit), string> _signatures = [];
    private readonly Dictionary<(string Commit, string Ancestor), bool> _descends = [];
    /// <summary>Answers for commits that were both found: commits never change, and a status read asks again for every
    /// BundleDeployment of every store at every gate evaluation.</summary>
    private readonly Dictionary<(string Ring, string Revision, string Other), bool> _answers = [];

    public RingContentHistory(FleetRepoOptions options, FleetRepoCredentials? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var remote = FleetRepoRemote.Resolve(options.RemoteUrl, credentials);
        if (remote.Transport == FleetRepoTransport.Local && remote.LocalPath is { } path)
            _localPath = path;
        else
            _cache = new FleetRepoCache(options, credentials);
    }

    /// <inheritdoc/>
    /// <remarks>False when either commit cannot be found.</remarks>
    public bool IsAtOrAfter(string ring, string revision, string other)
    {
        if (revision == other) return true;
        // A status read asks the same question for most BundleDeployments of a ring (Fleet labels them all with the last
        // commit it read): the last answer is kept outside the lock, as one immutable record.
        if (_last is { } last && last.Other == other && last.Revision == revision && last.Ring == ring) return last.IsAtOrAfter;
        lock (_gate)
        {
            if (_answers.TryGetValue((ring, revision, other), out var known))
            {
                _last = new Answer(ring, revision, other, known);
                return known;
            }
            var ancestor = Find(revision);
            var commit = ancestor is null ? null : Find(other);
            if (ancestor is null || commit is null) return false;
            var answer = Descends(commit, ancestor) || Signature(ring, ancestor) == Signature(ring, commit);
            _answers[(ring, revision, other)] = answer;
            _last = new Answer(ring, revision, other, answer);
            return answer;
        }
    }

    private bool Descends(Commit commit, Commit ancestor)
    {
        if (_descends.TryGetValue((commit.Sha, ancestor.Sha), out var known)) return known;
        var repository = Local ?? _cache!.Repository;
        var descends = repository.ObjectDatabase.FindMergeBase(commit, ancestor)?.Sha == ancestor.Sha;
        _descends[(commit.Sha, ancestor.Sha)] = descends;
        return descends;
    }

    /// <summary>The ring's bundle dirs in a commit as "app=tree id" lines.</summary>
    private string Signature(string ring, Commit commit)
    {
        if (_signatures.TryGetValue((ring, commit.Sha), out var known)) return known;
        var dirs = new List<string>();
        if (commit.Tree["apps"]?.Target is Tree apps)
            foreach (var app in apps.Where(e => e.TargetType == TreeEntryTargetType.Tree).OrderBy(e => e.Name, StringComparer.Ordinal))
                if (((Tree)app.Target)[ring] is { } dir)
                    dirs.Add($"{app.Name}={dir.Target.Sha}");
        var signature = string.Join("\n", dirs);
        _signatures[(ring, commit.Sha)] = signature;
        return signature;
    }

    private sealed record Answer(string Ring, string Revision, string Other, bool IsAtOrAfter);

    private volatile Answer? _last;

    private Commit? Find(string sha)
    {
        if (sha.Length == 0) return null;
        if (_localPath is not null) return Local?.Lookup<Commit>(sha);
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

    /// <summary>The local fleet repo once it exists; null before (no commit is known then). Only under the lock.</summary>
    private Repository? Local => _local ??= _localPath is not null && Repository.IsValid(_localPath) ? new Repository(_localPath) : null;

    public void Dispose()
    {
        _local?.Dispose();
        _cache?.Dispose();
    }
}
