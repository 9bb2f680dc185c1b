using System.Text;
using EdgeInfra.Engine;
using EdgeInfra.Engine.Providers;
using EdgeInfra.Engine.Resources;
using EdgeInfra.Engine.State;
using LibGit2Sharp;
using Polly;
using Polly.Retry;

namespace EdgeInfra.Providers.FleetRepo;

/// <summary>The provider for files in the fleet repo: stages writes and removals, then publishes them as one commit.</summary>
/// <remarks>
/// <para>A run is <see cref="BeginAsync"/> (fetch the branch into the bare cache), any number of concurrent
/// create/update/delete calls (staging only), then <see cref="CompleteAsync"/>: one commit holding every staged path
/// whose blob differs from the branch tip, with the run's trailers, pushed without force. Nothing differs: no commit.</para>
/// <para>A push rejected as non-fast-forward is rebased, which for this change means re-applying the staged writes and
/// removals onto the new remote tip, and retried with backoff: the other writer's commit stays, ours goes on top.</para>
/// <para><see cref="ReadAsync"/> reports the file at the remote tip (fetched once per run), so refresh sees hand edits.</para>
/// </remarks>
public sealed class FleetRepoProvider : IResourceProvider, IDisposable
{
    public const string ProviderName = ProviderNames.FleetRepo;
    public const string PathKey = "path";
    public const string ContentKey = "content";
    public const string BlobOutput = "blob";

    private static readonly IReadOnlySet<string> Replace = new HashSet<string> { PathKey };

    private readonly FleetRepoOptions _options;
    private readonly TimeProvider _time;
    private readonly FleetRepoCache _cache;
    private readonly StagedChanges _staged = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ResiliencePipeline _pushRetry;
    private ChangeDescription? _change;
    private string _message = "";
    private Commit? _tip;
    private bool _fetched;
    private TipIndex? _index;

    public FleetRepoProvider(FleetRepoOptions options, TimeProvider timeProvider, FleetRepoCredentials? credentials = null)
        : this(options, timeProvider, credentials, maxCachePacks: null) { }

    /// <summary>For tests: a provider whose cache is re-cloned past <paramref name="maxCachePacks"/> packs.</summary>
    internal FleetRepoProvider(FleetRepoOptions options, TimeProvider timeProvider, FleetRepoCredentials? credentials, int? maxCachePacks)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (options.Problems() is { Count: > 0 } problems) throw new InputException(problems);
        _options = options;
        _time = timeProvider;
        _cache = maxCachePacks is { } max ? new FleetRepoCache(options, credentials, timeProvider) { MaxPacks = max } : new FleetRepoCache(options, credentials, timeProvider);
        _pushRetry = BuildPushRetry(options, timeProvider);
    }

    public string Name => ProviderName;

    /// <summary>Test seam: runs before each push attempt (1-based), e.g. to let another writer win the race.</summary>
    internal Func<int, CancellationToken, ValueTask>? BeforePush { get; set; }

    /// <summary>How many push attempts the last <see cref="CompleteAsync"/> made (0 when it had nothing to push).</summary>
    internal int LastPushAttempts { get; private set; }

    public IReadOnlySet<string> ReplaceKeys(string type) => Replace;

    public async ValueTask BeginAsync(ChangeDescription change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        // Formatted up front so a bad trailer fails the run before anything is staged or fetched.
        var message = GitTrailers.Format(
            string.IsNullOrWhiteSpace(change.Message) ? $"edgeinfra: update {change.Stack}" : change.Message, change.Trailers);
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _staged.Clear();
            _change = null;
            _tip = await Task.Run(() => _cache.Fetch(ct), ct).ConfigureAwait(false);
            _fetched = true;
            _change = change;
            _message = message;
        }
        finally { _gate.Release(); }
    }

    public ValueTask<ProviderResult> CreateAsync(DesiredResource desired, CancellationToken ct) =>
        ValueTask.FromResult(Stage(desired.Inputs, desired.Urn));

    public ValueTask<ProviderResult> UpdateAsync(ResourceState current, DesiredResource desired, CancellationToken ct) =>
        ValueTask.FromResult(Stage(desired.Inputs, desired.Urn));

    public ValueTask DeleteAsync(ResourceState current, CancellationToken ct)
    {
        RequireRun();
        var path = PathOf(current);
        if (FleetRepoPath.Problem(path) is { } problem) throw new InputException($"{current.Urn}: fleet repo path '{path}' {problem}");
        _staged.Remove(path);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<ProviderResult?> ReadAsync(ResourceState current, CancellationToken ct)
    {
        var path = PathOf(current);
        if (FleetRepoPath.Problem(path) is not null) return null;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!_fetched)
            {
                _tip = await Task.Run(() => _cache.Fetch(ct), ct).ConfigureAwait(false);
                _fetched = true;
            }
            if (_tip is null) return null;
            if (_index?.Commit.Id != _tip.Id) _index = new TipIndex(_tip);
            if (_index.BlobAt(path) is not { } blobId) return null;
            var blob = _cache.Repository.Lookup<Blob>(blobId);
            var content = Utf8.GetString(ReadAll(blob.GetContentStream()));
            var inputs = current.Inputs.With(PathKey, path).With(ContentKey, content);
            return new ProviderResult(path, inputs, PropertyMap.Of((BlobOutput, blob.Sha)));
        }
        finally { _gate.Release(); }
    }

    public async ValueTask<string?> CompleteAsync(CancellationToken ct)
    {
        RequireRun();
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            LastPushAttempts = 0;
            var staged = _staged.Snapshot();
            var revision = staged.Count == 0 ? _tip?.Sha : await PublishAsync(staged, ct).ConfigureAwait(false);
            _staged.Clear();
            _change = null;
            return revision;
        }
        finally { _gate.Release(); }
    }

    public void Dispose()
    {
        _cache.Dispose();
        _gate.Dispose();
    }

    private async ValueTask<string?> PublishAsync(IReadOnlyList<StagedFile> staged, CancellationToken ct)
    {
        try
        {
            return await _pushRetry.ExecuteAsync(token => AttemptAsync(_message, staged, token), ct).ConfigureAwait(false);
        }
        catch (PushRejectedException e)
        {
            throw new FleetRepoException(
                $"fleet repo {_cache.Remote.Display} (branch {_options.Branch}): push rejected {LastPushAttempts} times because " +
                $"other writers kept moving the branch; nothing was pushed and no commit was lost, run again: {e.Message}");
        }
    }

    // One attempt: our staged change on top of the tip we last saw. A rejection fetches the new tip for the next attempt.
    private async ValueTask<string?> AttemptAsync(string message, IReadOnlyList<StagedFile> staged, CancellationToken ct)
    {
        var attempt = ++LastPushAttempts;
        var tip = _tip;
        var repository = _cache.Repository;
        var tree = await Task.Run(() => FleetTreeBuilder.Apply(repository, tip, staged), ct).ConfigureAwait(false);
        if (tree is null || tree.Id == tip?.Tree.Id) return tip?.Sha;

        var signature = new Signature(_options.AuthorName, _options.AuthorEmail, _time.GetUtcNow());
        var commit = repository.ObjectDatabase.CreateCommit(signature, signature, message, tree, tip is null ? [] : [tip], prettifyMessage: false);
        if (BeforePush is { } hook) await hook(attempt, ct).ConfigureAwait(false);

        var outcome = await Task.Run(() => _cache.Push(commit, ct), ct).ConfigureAwait(false);
        if (outcome.Pushed)
        {
            _tip = commit;
            return commit.Sha;
        }
        var moved = await Task.Run(() => _cache.Fetch(ct), ct).ConfigureAwait(false);
        if (moved?.Sha == tip?.Sha)
            throw new FleetRepoException(
                $"fleet repo {_cache.Remote.Display} (branch {_options.Branch}): push rejected and the branch did not move: {outcome.Rejection}");
        _tip = moved;
        throw new PushRejectedException(outcome.Rejection ?? "non-fast-forward");
    }

    private ProviderResult Stage(PropertyMap inputs, Urn urn)
    {
        RequireRun();
        var path = inputs.GetOrDefault(PathKey);
        var content = inputs.GetOrDefault(ContentKey);
        var problems = new List<string>();
        if (FleetRepoPath.Problem(path) is { } problem) problems.Add($"{urn}: fleet repo path '{path}' {problem}");
        if (content is null) problems.Add($"{urn}: fleet repo file has no '{ContentKey}' input");
        if (problems.Count > 0) throw new InputException(problems);

        var blob = _staged.Write(path!, content!);
        return new ProviderResult(path!, inputs, PropertyMap.Of((BlobOutput, blob)));
    }

    private ChangeDescription RequireRun() =>
        _change ?? throw new InvalidOperationException($"{nameof(FleetRepoProvider)}: call {nameof(BeginAsync)} before staging or completing a change");

    private static readonly UTF8Encoding Utf8 = new(false);

    private static byte[] ReadAll(Stream stream)
    {
        using (stream)
        {
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
    }

    private static string PathOf(ResourceState state) => state.Id ?? state.Inputs.GetOrDefault(PathKey) ?? "";

    private static ResiliencePipeline BuildPushRetry(FleetRepoOptions options, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxPushAttempts > 1)
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<PushRejectedException>(),
                MaxRetryAttempts = options.MaxPushAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(10),
            });
        return builder.Build();
    }
}
