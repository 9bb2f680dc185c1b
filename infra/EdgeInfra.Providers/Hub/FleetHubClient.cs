using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace EdgeInfra.Providers.Hub;

/// <summary>Reads Fleet objects from a hub's Kubernetes API through KubernetesClient: Clusters, GitRepos, Bundles and
/// BundleDeployments, every page of each list, retrying transient failures.</summary>
/// <remarks>
/// Retries and per-request timeouts run on wall-clock time, never on an injected virtual clock: a network wait is real
/// even in the lab, and a virtual clock that jumps to the earliest timer would expire every timeout at once.
/// Every failure surfaces as <see cref="FleetHubException"/> naming the request (never a credential).
/// </remarks>
public sealed class FleetHubClient : IDisposable
{
    public const string Group = "fleet.cattle.io";
    public const string Version = "v1alpha1";
    public const int DefaultPageSize = 1000;

    private readonly IKubernetes _kubernetes;
    private readonly ResiliencePipeline _pipeline;
    private readonly int _pageSize;
    private readonly string _host;

    public FleetHubClient(IKubernetes kubernetes, string host, TimeSpan requestTimeout, int pageSize = DefaultPageSize, int retries = 3)
    {
        _kubernetes = kubernetes;
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
                    .Handle<HttpOperationException>(e => IsTransient(e.Response?.StatusCode)),
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
            config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath, context);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or k8s.Exceptions.KubeConfigException or ArgumentException or InvalidOperationException)
        {
            throw new FleetHubException($"cannot use kubeconfig {kubeconfigPath}{(context is null ? "" : $" context '{context}'")}: {e.Message}", e);
        }
        return FromConfiguration(config, requestTimeout);
    }

    /// <summary>A client for a hub served at a plain URL without credentials (the lab simulator, tests).</summary>
    public static FleetHubClient ForUrl(Uri baseUrl, TimeSpan requestTimeout, int pageSize = DefaultPageSize) =>
        FromConfiguration(new KubernetesClientConfiguration { Host = baseUrl.ToString().TrimEnd('/') }, requestTimeout, pageSize);

    private static FleetHubClient FromConfiguration(KubernetesClientConfiguration config, TimeSpan requestTimeout, int pageSize = DefaultPageSize)
    {
        // The Polly timeout bounds each attempt; the HttpClient's own timeout only backs it up.
        config.HttpClientTimeout = requestTimeout + TimeSpan.FromSeconds(5);
        var host = Uri.TryCreate(config.Host, UriKind.Absolute, out var u) ? u.GetLeftPart(UriPartial.Authority) : config.Host;
        return new FleetHubClient(new Kubernetes(config), host, requestTimeout, pageSize);
    }

    /// <summary>Reads a workspace's Clusters, GitRepos and Bundles and the BundleDeployments of its bundles, in parallel.</summary>
    public async Task<HubSnapshot> ReadSnapshotAsync(string workspace, CancellationToken cancellationToken)
    {
        var clusters = ListClustersAsync(workspace, null, cancellationToken);
        var gitRepos = ListGitReposAsync(workspace, cancellationToken);
        var bundles = ListBundlesAsync(workspace, null, cancellationToken);
        var deployments = ListBundleDeploymentsAsync($"{FleetLabels.BundleNamespace}={workspace}", cancellationToken);
        await Task.WhenAll(clusters, gitRepos, bundles, deployments).ConfigureAwait(false);
        return new HubSnapshot(await clusters, await gitRepos, await bundles, await deployments);
    }

    public Task<List<HubCluster>> ListClustersAsync(string workspace, string? labelSelector, CancellationToken cancellationToken) =>
        ListAsync<HubCluster>(workspace, "clusters", labelSelector, cancellationToken);

    public Task<List<HubGitRepo>> ListGitReposAsync(string workspace, CancellationToken cancellationToken) =>
        ListAsync<HubGitRepo>(workspace, "gitrepos", null, cancellationToken);

    public Task<List<HubBundle>> ListBundlesAsync(string workspace, string? labelSelector, CancellationToken cancellationToken) =>
        ListAsync<HubBundle>(workspace, "bundles", labelSelector, cancellationToken);

    /// <summary>BundleDeployments of all namespaces (they live in each cluster's own namespace).</summary>
    public Task<List<HubBundleDeployment>> ListBundleDeploymentsAsync(string? labelSelector, CancellationToken cancellationToken) =>
        ListAsync<HubBundleDeployment>(null, "bundledeployments", labelSelector, cancellationToken);

    private async Task<List<T>> ListAsync<T>(string? ns, string plural, string? labelSelector, CancellationToken cancellationToken)
    {
        var what = ns is null ? plural : $"{plural} in {ns}";
        var items = new List<T>();
        string? next = null;
        try
        {
            do
            {
                var token = next;
                var page = await _pipeline.ExecuteAsync(async ct => ns is null
                    ? await _kubernetes.CustomObjects.ListClusterCustomObjectAsync<HubList<T>>(Group, Version, plural,
                        continueParameter: token, labelSelector: labelSelector, limit: _pageSize, cancellationToken: ct).ConfigureAwait(false)
                    : await _kubernetes.CustomObjects.ListNamespacedCustomObjectAsync<HubList<T>>(Group, Version, ns, plural,
                        continueParameter: token, labelSelector: labelSelector, limit: _pageSize, cancellationToken: ct).ConfigureAwait(false),
                    cancellationToken).ConfigureAwait(false);
                if (page?.Items is { } pageItems) items.AddRange(pageItems);
                next = page?.Metadata?.Continue;
            }
            while (!string.IsNullOrEmpty(next));
        }
        catch (HttpOperationException e)
        {
            var code = e.Response?.StatusCode;
            throw new FleetHubException($"hub {_host}: listing {what} failed: HTTP {(int?)code} {StatusMessage(e.Response?.Content) ?? code?.ToString()}", e);
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
        return items;
    }

    private static bool IsTransient(HttpStatusCode? code) =>
        code is null or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)code >= 500;

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

    public void Dispose() => _kubernetes.Dispose();
}
