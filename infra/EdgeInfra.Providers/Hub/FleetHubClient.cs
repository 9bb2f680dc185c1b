using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace EdgeInfra.Providers.Hub;

/// <summary>Reads Fleet objects from a hub's Kubernetes API through KubernetesClient: Clusters, GitRepos, Bundles and
/// BundleDeployments, every page of each list, retrying transient failures.</summary>
/// <remarks>
/// KubernetesClient owns the connection: kubeconfig, TLS, client certificates and credentials. The list pages are
/// requested and parsed here (see <see cref="GetPageAsync{T}"/>), with source-generated System.Text.Json into the hub
/// types, which hold only the fields the rollout host reads.
/// Retries and per-request timeouts run on wall-clock time, never on an injected virtual clock: a network wait is real
/// even in the lab, and a virtual clock that jumps to the earliest timer would expire every timeout at once.
/// Every failure surfaces as <see cref="FleetHubException"/> naming the request (never a credential).
/// </remarks>
public sealed class FleetHubClient : IDisposable
{
    public const string Group = "fleet.cattle.io";
    public const string Version = "v1alpha1";
    /// <summary>Objects per list page. A status read lists the whole fleet (a Cluster and a BundleDeployment per bundle
    /// for every store) every gate interval, and the pages of one list are sequential round trips, each a fresh range
    /// read on the server: 5,000 keeps 10,000 stores to a handful of requests while bounding one answer to ~10 MB.</summary>
    public const int DefaultPageSize = 5000;

    /// <summary>How often one list starts over after its continue token expired (410 Gone) before the read fails: a
    /// hub compacting faster than a list can be read would otherwise keep it reading forever.</summary>
    private const int MaxListRestarts = 2;

    /// <summary>Page requests in flight at once (a partitioned read runs a dozen lists): bounds the hub's concurrent
    /// list work and this process's page buffers.</summary>
    private const int MaxConcurrentPages = 4;

    private readonly Kubernetes _kubernetes;
    private readonly Version _httpVersion;
    private readonly ResiliencePipeline _pipeline;
    private readonly int _pageSize;
    private readonly string _host;
    private readonly SemaphoreSlim _pageSlots = new(MaxConcurrentPages);
    private readonly HubObjectReuse<HubCluster> _clusters = new(HubJsonContext.Default.HubCluster, HubJsonContext.Default.HubListMeta, c => c.Metadata);
    private readonly HubObjectReuse<HubBundleDeployment> _deployments = new(HubJsonContext.Default.HubBundleDeployment, HubJsonContext.Default.HubListMeta, d => d.Metadata);
    private long _pages, _bytes, _answerTicks, _bodyTicks, _restarts;

    private FleetHubClient(Kubernetes kubernetes, Version httpVersion, string host, TimeSpan requestTimeout, int pageSize, int retries = 3)
    {
        _kubernetes = kubernetes;
        _httpVersion = httpVersion;
        _host = host;
        _pageSize = pageSize;
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(200),
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutRejectedException>()
                    .Handle<HubStatusException>(e => IsTransient(e.Code)),
            })
            .AddTimeout(requestTimeout)
            .Build();
    }

    /// <summary>A client for the hub a kubeconfig names (its current context, or <paramref name="context"/>).</summary>
    public static FleetHubClient FromKubeconfig(string kubeconfigPath, string? context, TimeSpan requestTimeout)
    {
        KubernetesClientConfiguration config;
        try
        {
            config = BuildConfiguration(kubeconfigPath, context);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or k8s.Exceptions.KubeConfigException or ArgumentException
            or InvalidOperationException or FormatException)
        {
            throw new FleetHubException($"cannot use kubeconfig {kubeconfigPath}{(context is null ? "" : $" context '{context}'")}: {e.Message}", e);
        }
        return FromConfiguration(config, requestTimeout);
    }

    /// <summary>KubernetesClient refuses a user without credentials; a hub that needs none (the lab's kubeconfig, a
    /// local proxy) is still reachable, so such a user gets the context's server with its TLS settings and no auth.</summary>
    private static KubernetesClientConfiguration BuildConfiguration(string kubeconfigPath, string? context)
    {
        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath, context);
        }
        catch (k8s.Exceptions.KubeConfigException e) when (e.Message.Contains("auth credentials", StringComparison.Ordinal))
        {
            var file = KubernetesClientConfiguration.LoadKubeConfig(kubeconfigPath);
            var contextName = context ?? file.CurrentContext;
            var ctx = file.Contexts?.FirstOrDefault(c => c.Name == contextName)
                ?? throw new k8s.Exceptions.KubeConfigException($"context '{contextName}' not found");
            var cluster = file.Clusters?.FirstOrDefault(c => c.Name == ctx.ContextDetails?.Cluster)?.ClusterEndpoint
                ?? throw new k8s.Exceptions.KubeConfigException($"cluster '{ctx.ContextDetails?.Cluster}' not found");
            var config = new KubernetesClientConfiguration { Host = cluster.Server, SkipTlsVerify = cluster.SkipTlsVerify };
            if (!string.IsNullOrEmpty(cluster.CertificateAuthorityData))
                config.SslCaCerts = [System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(Convert.FromBase64String(cluster.CertificateAuthorityData))];
            return config;
        }
    }

    /// <summary>A client for a hub served at a plain URL without credentials (the lab simulator, tests).</summary>
    public static FleetHubClient ForUrl(Uri baseUrl, TimeSpan requestTimeout, int pageSize = DefaultPageSize) =>
        FromConfiguration(new KubernetesClientConfiguration { Host = baseUrl.ToString().TrimEnd('/') }, requestTimeout, pageSize);

    private static FleetHubClient FromConfiguration(KubernetesClientConfiguration config, TimeSpan requestTimeout, int pageSize = DefaultPageSize)
    {
        // The Polly timeout bounds each attempt; the HttpClient's own timeout only backs it up.
        config.HttpClientTimeout = requestTimeout + TimeSpan.FromSeconds(5);
        var host = Uri.TryCreate(config.Host, UriKind.Absolute, out var u) ? u.GetLeftPart(UriPartial.Authority) : config.Host;
        // As KubernetesClient asks for its own requests: HTTP/2 where the server offers it, unless the config disables it.
        var httpVersion = config.DisableHttp2 ? HttpVersion.Version11 : HttpVersion.Version20;
        return new FleetHubClient(new Kubernetes(config), httpVersion, host, requestTimeout, pageSize);
    }

    /// <summary>Pages read so far and where their time went (bench/StatusBench splits a status read with it).</summary>
    public HubReadTimings Timings => new(Interlocked.Read(ref _pages), Interlocked.Read(ref _bytes),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _answerTicks)), Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _bodyTicks)));

    /// <summary>Clusters and BundleDeployments handed out again without being parsed (their resourceVersion had not
    /// moved since an earlier read), and those parsed, since this client was made.</summary>
    public (long Reused, long Parsed) ObjectsReused =>
        (_clusters.Counts.Reused + _deployments.Counts.Reused, _clusters.Counts.Parsed + _deployments.Counts.Parsed);

    private void BeginRead()
    {
        _clusters.BeginRead();
        _deployments.BeginRead();
    }

    /// <summary>Reads a workspace's Clusters, GitRepos and Bundles and the BundleDeployments of its bundles, in parallel.</summary>
    public Task<HubSnapshot> ReadSnapshotAsync(string workspace, CancellationToken cancellationToken) =>
        ReadSnapshotByRingAsync(workspace, "", [], cancellationToken);

    /// <summary>Reads a whole workspace as <see cref="ReadSnapshotAsync(string, CancellationToken)"/>, listing the Clusters
    /// per value of <paramref name="ringLabel"/> (<paramref name="rings"/>, plus the Clusters with none of them) and the
    /// BundleDeployments per bundle, all concurrently: the same objects, with no chain of pages longer than a ring's.</summary>
    /// <remarks>A list's pages are sequential round trips (see <see cref="HubListPartitions"/>); at 50,000 stores one
    /// BundleDeployment list is 20 pages of 5,000 one after the other. The Bundles come first (one small page): their
    /// names and <c>desiredReady</c> counts split the BundleDeployments.</remarks>
    public async Task<HubSnapshot> ReadSnapshotByRingAsync(string workspace, string ringLabel, IReadOnlyCollection<string> rings,
        CancellationToken cancellationToken)
    {
        BeginRead();
        var ringWeights = rings.Distinct(StringComparer.Ordinal).Where(_ => ringLabel.Length > 0)
            .ToDictionary(r => r, _ => 1L, StringComparer.Ordinal);
        var clusters = ListPartitionsAsync(HubListPartitions.Selectors(null, ringLabel, ringWeights),
            selector => ListClustersAsync(workspace, selector, cancellationToken));
        var gitRepos = ListGitReposAsync(workspace, cancellationToken);
        var bundles = ListBundlesAsync(workspace, null, cancellationToken);
        var deployments = AllDeploymentsAsync(workspace, bundles, cancellationToken);
        await Task.WhenAll(clusters, gitRepos, bundles, deployments).ConfigureAwait(false);
        return new HubSnapshot(await clusters, await gitRepos, await bundles, await deployments);
    }

    private async Task<List<HubBundleDeployment>> AllDeploymentsAsync(string workspace, Task<List<HubBundle>> bundles,
        CancellationToken cancellationToken)
    {
        var weights = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var b in await bundles.ConfigureAwait(false))
            weights[b.Metadata.Name] = Math.Max(1, b.Status?.Summary?.DesiredReady ?? 0);
        return await ListPartitionsAsync(HubListPartitions.Selectors($"{FleetLabels.BundleNamespace}={workspace}", FleetLabels.BundleName, weights),
            selector => ListBundleDeploymentsAsync(selector, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The lists of <paramref name="selectors"/> read concurrently, concatenated in the selectors' order.</summary>
    private static async Task<List<T>> ListPartitionsAsync<T>(IReadOnlyList<string?> selectors, Func<string?, Task<List<T>>> list)
    {
        if (selectors.Count == 1) return await list(selectors[0]).ConfigureAwait(false);
        var parts = await Task.WhenAll(selectors.Select(list)).ConfigureAwait(false);
        var all = new List<T>(parts.Sum(p => p.Count));
        foreach (var part in parts) all.AddRange(part);
        return all;
    }

    /// <summary>Reads a workspace's GitRepos and Bundles, the Clusters matching <paramref name="clusterSelector"/>, and
    /// only the BundleDeployments of the Bundles of <paramref name="gitRepos"/> (by their <c>fleet.cattle.io/bundle-name</c>
    /// label): what a rollout host needs while only some rings are open, without listing the rest of the fleet.</summary>
    /// <remarks>The Bundles come first (a small list), so the BundleDeployment list is one more round trip.</remarks>
    public async Task<HubSnapshot> ReadSnapshotAsync(string workspace, string clusterSelector, IReadOnlySet<string> gitRepos,
        CancellationToken cancellationToken)
    {
        BeginRead();
        var clusters = ListClustersAsync(workspace, clusterSelector, cancellationToken);
        var repos = ListGitReposAsync(workspace, cancellationToken);
        var bundles = ListBundlesAsync(workspace, null, cancellationToken);
        var deployments = DeploymentsOfAsync(workspace, bundles, gitRepos, cancellationToken);
        await Task.WhenAll(clusters, repos, bundles, deployments).ConfigureAwait(false);
        return new HubSnapshot(await clusters, await repos, await bundles, await deployments);
    }

    private async Task<List<HubBundleDeployment>> DeploymentsOfAsync(string workspace, Task<List<HubBundle>> bundles, IReadOnlySet<string> gitRepos,
        CancellationToken cancellationToken)
    {
        var names = (await bundles.ConfigureAwait(false))
            .Where(b => b.Metadata.Label(FleetLabels.RepoName) is { } repo && gitRepos.Contains(repo))
            .Select(b => b.Metadata.Name).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0) return [];
        return await ListBundleDeploymentsAsync($"{FleetLabels.BundleNamespace}={workspace},{FleetLabels.BundleName} in ({string.Join(",", names)})",
            cancellationToken).ConfigureAwait(false);
    }

    public Task<List<HubCluster>> ListClustersAsync(string workspace, string? labelSelector, CancellationToken cancellationToken) =>
        ListAsync(workspace, "clusters", labelSelector, HubJsonContext.Default.HubListHubCluster, _clusters, cancellationToken);

    public Task<List<HubGitRepo>> ListGitReposAsync(string workspace, CancellationToken cancellationToken) =>
        ListAsync(workspace, "gitrepos", null, HubJsonContext.Default.HubListHubGitRepo, null, cancellationToken);

    public Task<List<HubBundle>> ListBundlesAsync(string workspace, string? labelSelector, CancellationToken cancellationToken) =>
        ListAsync(workspace, "bundles", labelSelector, HubJsonContext.Default.HubListHubBundle, null, cancellationToken);

    /// <summary>BundleDeployments of all namespaces (they live in each cluster's own namespace).</summary>
    public Task<List<HubBundleDeployment>> ListBundleDeploymentsAsync(string? labelSelector, CancellationToken cancellationToken) =>
        ListAsync(null, "bundledeployments", labelSelector, HubJsonContext.Default.HubListHubBundleDeployment, _deployments, cancellationToken);

    /// <param name="reuse">The kind's kept objects (Clusters and BundleDeployments, the lists read at every gate
    /// evaluation); null parses every object of the page as it arrives (the few GitRepos and Bundles).</param>
    private async Task<List<T>> ListAsync<T>(string? ns, string plural, string? labelSelector, JsonTypeInfo<HubList<T>> page,
        HubObjectReuse<T>? reuse, CancellationToken cancellationToken) where T : class
    {
        var what = ns is null ? plural : $"{plural} in {ns}";
        var path = ns is null
            ? $"apis/{Group}/{Version}/{plural}"
            : $"apis/{Group}/{Version}/namespaces/{Uri.EscapeDataString(ns)}/{plural}";
        try
        {
            for (var restarts = 0; ; restarts++)
            {
                var items = new List<T>();
                string? next = null;
                try
                {
                    do
                    {
                        var uri = PageUri(path, labelSelector, next);
                        var list = await InPageSlotAsync(() => _pipeline.ExecuteAsync(
                            async ct => await GetPageAsync(uri, page, reuse, ct).ConfigureAwait(false), cancellationToken).AsTask(), cancellationToken)
                            .ConfigureAwait(false);
                        if (list.Items is { } pageItems) items.AddRange(pageItems);
                        next = list.Metadata?.Continue;
                    }
                    while (!string.IsNullOrEmpty(next));
                    return items;
                }
                catch (HubStatusException e) when (e.Code == HttpStatusCode.Gone && next is not null && restarts < MaxListRestarts)
                {
                    // The continue token expired (the hub compacted past the list's resource version): its pages are no
                    // longer one snapshot, so the list starts over from its first page, as client-go's pager does.
                    Interlocked.Increment(ref _restarts);
                }
            }
        }
        catch (HubStatusException e)
        {
            throw new FleetHubException($"hub {_host}: listing {what} failed: HTTP {(int)e.Code} {StatusMessage(e.Body) ?? e.Code.ToString()}", e);
        }
        catch (HttpRequestException e)
        {
            throw new FleetHubException($"hub {_host} is unreachable (listing {what}): {e.Message}", e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new FleetHubException($"hub {_host}: listing {what} timed out after {e.Timeout.TotalSeconds:0.#}s (retried)", e);
        }
        catch (JsonException e)
        {
            throw new FleetHubException($"hub {_host}: listing {what}: the answer is not a Fleet {plural} list ({e.Message})", e);
        }
    }

    private Uri PageUri(string path, string? labelSelector, string? continueToken)
    {
        var query = new StringBuilder(path).Append("?limit=").Append(_pageSize.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(labelSelector)) query.Append("&labelSelector=").Append(Uri.EscapeDataString(labelSelector));
        if (!string.IsNullOrEmpty(continueToken)) query.Append("&continue=").Append(Uri.EscapeDataString(continueToken));
        return new Uri(_kubernetes.BaseUri, query.ToString());
    }

    /// <summary>Runs one page's request (with its retries) once fewer than <see cref="MaxConcurrentPages"/> are in flight;
    /// the wait for a slot is outside the request's timeout.</summary>
    private async Task<TResult> InPageSlotAsync<TResult>(Func<Task<TResult>> request, CancellationToken cancellationToken)
    {
        await _pageSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await request().ConfigureAwait(false);
        }
        finally
        {
            _pageSlots.Release();
        }
    }

    /// <summary>One GET through KubernetesClient's HttpClient (its TLS, client certificates and CA pinning) with its
    /// credentials (token, token file, exec or OIDC provider), the body parsed with the source-generated hub types.</summary>
    /// <remarks>KubernetesClient's own list calls deserialise every page with its reflection-based options before handing
    /// it back; reading the body here parses each page once, into only the fields the rollout host uses, and with
    /// <paramref name="reuse"/> only the objects that changed since they were last read.</remarks>
    private async Task<(List<T>? Items, HubListMeta? Metadata)> GetPageAsync<T>(Uri uri, JsonTypeInfo<HubList<T>> page, HubObjectReuse<T>? reuse,
        CancellationToken cancellationToken) where T : class
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Get, uri)
        {
            Version = _httpVersion,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (_kubernetes.Credentials is { } credentials)
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        using var response = await _kubernetes.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new HubStatusException(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        var answered = Stopwatch.GetTimestamp();
        (List<T>? Items, HubListMeta? Metadata) list;
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            if (reuse is null || reuse.IsEmpty)
            {
                // Parsed as the body arrives: the page is never held as one buffer. With nothing kept yet (a one-shot
                // status, a host's first read) there is nothing to skip, and streaming is the faster read.
                var parsed = await JsonSerializer.DeserializeAsync(body, page, cancellationToken).ConfigureAwait(false);
                list = (parsed?.Items, parsed?.Metadata);
                if (reuse is not null && list.Items is { } items) reuse.Keep(items);
            }
            else
            {
                // Held whole (at most a page of ~10 MB per request in flight) so that unchanged objects are skipped unparsed.
                list = await reuse.ReadPageAsync(body, response.Content.Headers.ContentLength, cancellationToken).ConfigureAwait(false);
            }
        }
        Interlocked.Increment(ref _pages);
        Interlocked.Add(ref _bytes, response.Content.Headers.ContentLength ?? 0);
        Interlocked.Add(ref _answerTicks, answered - started);
        Interlocked.Add(ref _bodyTicks, Stopwatch.GetTimestamp() - answered);
        return list;
    }

    private static bool IsTransient(HttpStatusCode code) =>
        code is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)code >= 500;

    /// <summary>The <c>message</c> of a Kubernetes <c>Status</c> error body, when the body is one.</summary>
    private static string? StatusMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var m) ? m.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Lists started over because a continue token expired (410 Gone), since this client was made.</summary>
    public long ListRestarts => Interlocked.Read(ref _restarts);

    public void Dispose()
    {
        _kubernetes.Dispose();
        _pageSlots.Dispose();
    }
}
