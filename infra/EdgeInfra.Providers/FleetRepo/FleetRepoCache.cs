using LibGit2Sharp;
using LibGit2Sharp.Handlers;

namespace EdgeInfra.Providers.FleetRepo;

/// <summary>What a push attempt came to: pushed, or rejected by the remote with its reason.</summary>
internal readonly record struct PushOutcome(bool Pushed, string? Rejection)
{
    public static readonly PushOutcome Success = new(true, null);
    public static PushOutcome Rejected(string reason) => new(false, reason);
}

/// <summary>The local bare clone of the fleet repo: opens or creates it, fetches the branch and pushes commits to it.</summary>
/// <remarks>
/// Not thread-safe (a libgit2 repository handle is not): callers serialise access. Every libgit2 failure leaves here as
/// a <see cref="FleetRepoException"/> with the remote scrubbed, or as cancellation.
/// </remarks>
internal sealed class FleetRepoCache : IDisposable
{
    private const string RemoteName = "origin";
    private readonly FleetRepoOptions _options;
    private readonly TimeProvider _time;
    private Repository? _repository;

    /// <param name="time">The clock that stale git lock files are aged against (file times are wall-clock times).</param>
    public FleetRepoCache(FleetRepoOptions options, FleetRepoCredentials? credentials, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        Remote = FleetRepoRemote.Resolve(options.RemoteUrl, credentials);
    }

    public FleetRepoRemote Remote { get; }

    /// <summary>
    /// Every fetch and every commit adds a pack and nothing here repacks, so once a cache holds more than this many packs
    /// it is dropped and cloned afresh (one full fetch) instead of letting every object lookup grow slower.
    /// </summary>
    public int MaxPacks { get; init; } = 64;

    private const string MarkerFile = "edgeinfra-cache";

    private string TrackingRef => $"refs/remotes/{RemoteName}/{_options.Branch}";

    private string FetchRefSpec => $"+refs/heads/{_options.Branch}:{TrackingRef}";

    public Repository Repository => _repository ??= Guard("open the cache", Open, CancellationToken.None);

    /// <summary>Fetches the branch; returns the remote tip, null when the branch does not exist yet.</summary>
    public Commit? Fetch(CancellationToken ct)
    {
        var repository = Repository;
        return Guard("fetch", () =>
        {
            var options = new FetchOptions
            {
                Prune = true,
                TagFetchMode = TagFetchMode.None,
                CredentialsProvider = CredentialsProvider(),
                OnTransferProgress = _ => !ct.IsCancellationRequested,
                OnProgress = _ => !ct.IsCancellationRequested,
            };
            Commands.Fetch(repository, RemoteName, [FetchRefSpec], options, "edgeinfra: fetch");
            return Tip();
        }, ct);
    }

    /// <summary>The remote tip as of the last fetch or push.</summary>
    public Commit? Tip() => Repository.Refs[TrackingRef]?.ResolveToDirectReference()?.Target?.Peel<Commit>();

    /// <summary>Pushes <paramref name="commit"/> to the branch (never forced).</summary>
    public PushOutcome Push(Commit commit, CancellationToken ct)
    {
        var repository = Repository;
        return Guard("push", () =>
        {
            var statusErrors = new List<string>();
            var options = new PushOptions
            {
                CredentialsProvider = CredentialsProvider(),
                OnPushStatusError = e => statusErrors.Add($"{e.Reference}: {e.Message}"),
                OnPushTransferProgress = (_, _, _) => !ct.IsCancellationRequested,
                OnNegotiationCompletedBeforePush = _ => !ct.IsCancellationRequested,
            };
            using var localPushLock = Remote.LocalPath is { } local ? LocalPushLock(local, ct) : null;
            try
            {
                repository.Network.Push(repository.Network.Remotes[RemoteName], $"{commit.Sha}:refs/heads/{_options.Branch}", options);
            }
            catch (NonFastForwardException e)
            {
                return PushOutcome.Rejected(Remote.Scrub(e.Message));
            }
            if (statusErrors.Count > 0) return PushOutcome.Rejected(Remote.Scrub(string.Join("; ", statusErrors)));
            repository.Refs.Add(TrackingRef, commit.Id, "edgeinfra: pushed", allowOverwrite: true);
            return PushOutcome.Success;
        }, ct);
    }

    public void Dispose()
    {
        _repository?.Dispose();
        _repository = null;
    }

    private Repository Open()
    {
        if (Remote.LocalPath is { } bare) EnsureLocalRemote(bare);

        var dir = Path.GetFullPath(_options.CacheDir);
        if (Remote.LocalPath is { } remotePath && Path.GetFullPath(remotePath).TrimEnd('/') == dir.TrimEnd('/'))
            throw new FleetRepoException($"fleet repo cache '{dir}' is the remote itself; choose another cache directory");
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
        {
            // A cache holds nothing the remote lacks: ours is rebuilt when a killed run left it unusable or it grew too
            // many packs; a directory we did not create is never touched.
            var usable = Repository.IsValid(dir);
            if (!usable && !IsOurs(dir))
                throw new FleetRepoException($"fleet repo cache '{dir}' exists and is not a git repository; remove it or choose another cache directory");
            if (!usable || (IsOurs(dir) && PackCount(dir) > MaxPacks)) Directory.Delete(dir, recursive: true);
        }
        if (!Directory.Exists(dir) || !Directory.EnumerateFileSystemEntries(dir).Any())
            InitBare(dir, branch: null, marker: "A fetch cache of the fleet repo, written by EdgeInfra; safe to delete.\n");
        // One writer per cache (each stack update has its own, under the stack lock): any git lock file found when
        // the cache is opened was left by a killed run, however new it is.
        RemoveStaleLocks(dir, TimeSpan.Zero);

        var repository = new Repository(dir);
        var remote = repository.Network.Remotes[RemoteName];
        if (remote is null)
            repository.Network.Remotes.Add(RemoteName, Remote.Url, FetchRefSpec);
        else if (remote.Url != Remote.Url || !remote.FetchRefSpecs.Select(r => r.Specification).SequenceEqual([FetchRefSpec]))
            repository.Network.Remotes.Update(RemoteName, r => { r.Url = Remote.Url; r.FetchRefSpecs = [FetchRefSpec]; });
        return repository;
    }

    // The lab's fleet repo is a bare repo in the project; the first run creates it, with HEAD on the watched branch so a
    // plain `git clone` of it checks out what Fleet sees.
    private void EnsureLocalRemote(string path)
    {
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
        {
            if (!Repository.IsValid(path))
                throw new FleetRepoException($"fleet repo '{path}' exists and is not a git repository");
            RemoveStaleLocks(path, SharedRepoLockAge);
            return;
        }
        InitBare(path, _options.Branch);
    }

    /// <summary>Creates a bare repo next to <paramref name="path"/> and renames it into place, so a kill never leaves
    /// a half-made repository behind; a concurrent creator winning the rename is fine.</summary>
    private static void InitBare(string path, string? branch, string? marker = null)
    {
        var parent = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(parent);
        if (Directory.Exists(path)) Directory.Delete(path); // empty, checked by the caller
        var staging = Path.Combine(parent, $".{Path.GetFileName(path)}.init-{Guid.NewGuid():N}");
        Repository.Init(staging, isBare: true);
        if (branch is not null) File.WriteAllText(Path.Combine(staging, "HEAD"), $"ref: refs/heads/{branch}\n");
        if (marker is not null) File.WriteAllText(Path.Combine(staging, MarkerFile), marker);
        try
        {
            Directory.Move(staging, path);
        }
        catch (IOException) when (Repository.IsValid(path))
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Deletes ref and index lock files a killed git writer left behind. Live writers hold a lock for
    /// milliseconds, so in a repo several processes write, one older than <paramref name="age"/> has no owner.</summary>
    private void RemoveStaleLocks(string repoDir, TimeSpan age)
    {
        var cutoff = _time.GetUtcNow().UtcDateTime - age;
        foreach (var file in Directory.EnumerateFiles(repoDir, "*.lock", SearchOption.AllDirectories))
        {
            if (File.GetLastWriteTimeUtc(file) >= cutoff) continue;
            try { File.Delete(file); }
            catch (IOException) { /* another process removed or re-took it: not stale after all */ }
        }
    }

    /// <summary>
    /// Serialises pushes into a bare repo on this machine (the lab's): an OS file lock, which dies with its process,
    /// so while it is held every git lock file in the repo was left by a pusher that was killed, and is removed.
    /// </summary>
    private FileStream LocalPushLock(string bareRepo, CancellationToken ct)
    {
        var path = Path.Combine(bareRepo, "edgeinfra-push.lock-owner");
        var deadline = _time.GetUtcNow() + LocalPushWait;
        while (true)
        {
            try
            {
                var held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                RemoveStaleLocks(bareRepo, TimeSpan.Zero);
                return held;
            }
            catch (IOException) when (_time.GetUtcNow() < deadline)
            {
                // Another EdgeInfra process is pushing; pushes take milliseconds.
                Task.Delay(TimeSpan.FromMilliseconds(20), _time, ct).GetAwaiter().GetResult();
            }
        }
    }

    private static readonly TimeSpan LocalPushWait = TimeSpan.FromSeconds(30);

    /// <summary>How old a lock file in the lab's shared bare repo must be before it is taken as a killed writer's.</summary>
    private static readonly TimeSpan SharedRepoLockAge = TimeSpan.FromSeconds(30);

    // Only a directory this class created is ever deleted, however CacheDir was configured.
    private static bool IsOurs(string dir) => File.Exists(Path.Combine(dir, MarkerFile));

    private static int PackCount(string dir) =>
        Directory.Exists(Path.Combine(dir, "objects", "pack")) ? Directory.GetFiles(Path.Combine(dir, "objects", "pack"), "*.pack").Length : 0;

    private CredentialsHandler? CredentialsProvider() => Remote.Credentials is { } c
        ? (_, _, _) => new UsernamePasswordCredentials { Username = c.Username, Password = c.Password }
        : null;

    private T Guard<T>(string what, Func<T> operation, CancellationToken ct)
    {
        try
        {
            return operation();
        }
        catch (UserCancelledException)
        {
            ct.ThrowIfCancellationRequested();
            throw new OperationCanceledException($"fleet repo {what} was cancelled");
        }
        catch (LibGit2SharpException e)
        {
            var cause = Remote.Scrub(e.Message);
            var hint = IsAuthFailure(cause) ? " (check the fleet repo credentials)" : "";
            throw new FleetRepoException($"fleet repo {Remote.Display} (branch {_options.Branch}): {what} failed: {cause}{hint}");
        }
        catch (IOException e)
        {
            throw new FleetRepoException($"fleet repo {Remote.Display} (branch {_options.Branch}): {what} failed: {Remote.Scrub(e.Message)}");
        }
    }

    private static bool IsAuthFailure(string message) =>
        message.Contains("authenticat", StringComparison.OrdinalIgnoreCase)
        || message.Contains("401", StringComparison.Ordinal) || message.Contains("403", StringComparison.Ordinal)
        || message.Contains("credentials", StringComparison.OrdinalIgnoreCase);
}
