using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeInfra.Lab.FleetRules;
using EdgeInfra.Lab.Simulator;

namespace EdgeInfra.Lab.Hub;

/// <summary>Writes the simulated hub's objects as Fleet's JSON (field names as in the CRDs) straight to a <see cref="Utf8JsonWriter"/>.</summary>
/// <remarks>No intermediate object model: listing 10,000 Clusters is one pass over the state.</remarks>
internal sealed class KubeJsonWriter(FleetSimulation sim, HubListCache cache)
{
    public const string Group = "fleet.cattle.io";
    public const string ApiVersion = Group + "/v1alpha1";
    public const string AgentNamespace = "cattle-fleet-system";

    /// <remarks>Written once per <see cref="ServedVersions.Cluster"/> and copied into every list after that: between two gate
    /// evaluations most Clusters did not move.</remarks>
    public void Cluster(Utf8JsonWriter w, SimCluster c)
    {
        var seen = sim.Agents.LastSeen(c, sim.State.Now);
        var bds = DeploymentsIn(c.StatusNamespace);
        var version = ServedVersions.Cluster(c, seen, bds);
        WriteCached(w, c, version, (c, version, seen, bds, cache), static (one, s) =>
            WriteCluster(one, s.c, ServedVersions.ResourceVersion(s.version), s.cache.UidOf(s.c, () => ServedVersions.Uid("Cluster", s.c.Namespace, s.c.Name, s.c.Created)), s.seen, s.bds));
    }

    /// <summary>Writes <paramref name="item"/>'s JSON as it was last written at <paramref name="version"/>, or writes it
    /// (with <paramref name="write"/>) and keeps it.</summary>
    private void WriteCached<TState>(Utf8JsonWriter w, object item, RenderedVersion version, TState state, Action<Utf8JsonWriter, TState> write)
    {
        if (!cache.TryGetRendered(item, version, out var json))
        {
            var buffer = new ArrayBufferWriter<byte>(2048);
            using (var one = new Utf8JsonWriter(buffer)) write(one, state);
            json = buffer.WrittenSpan.ToArray();
            cache.KeepRendered(item, version, json);
        }
        w.WriteRawValue(json, skipInputValidation: true);
    }

    private static void WriteCluster(Utf8JsonWriter w, SimCluster c, string version, string uid, DateTimeOffset? seen, List<SimBundleDeployment> bds)
    {
        w.WriteStartObject();
        Header(w, "Cluster", c.Name, c.Namespace, version, 1, c.Created, c.Labels, uid);
        w.WriteStartObject("spec");
        w.WriteString("clientID", c.ClientId);
        if (c.Paused) w.WriteBoolean("paused", true);
        w.WriteEndObject();

        w.WriteStartObject("status");
        w.WriteString("namespace", c.StatusNamespace);
        w.WriteStartObject("agent");
        if (seen is { } at) w.WriteString("lastSeen", Time(at));
        w.WriteString("namespace", AgentNamespace);
        w.WriteEndObject();
        var summary = FleetStates.Summarize(bds.Select(b => (b.BundleKey, FleetStates.StateOf(b.ForRules))));
        Summary(w, "summary", summary);
        var state = c.RegisteredAt is null ? "WaitCheckIn" : summary.DisplayState;
        w.WriteStartObject("display");
        w.WriteString("readyBundles", summary.ReadyClusters);
        w.WriteString("state", state);
        w.WriteEndObject();
        Conditions(w, ("Ready", state.Length == 0, state, c.Created), ("Processed", true, "", c.Created));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public void ClusterGroup(Utf8JsonWriter w, SimClusterGroup g)
    {
        w.WriteStartObject();
        Header(w, "ClusterGroup", g.Name, g.Namespace, g.ResourceVersion, 1, g.Created, g.Labels);
        w.WriteStartObject("spec");
        if (g.Selector is not null)
        {
            w.WritePropertyName("selector");
            g.Selector.WriteTo(w);
        }
        w.WriteEndObject();
        var members = sim.State.Clusters.Values.Where(c => c.Namespace == g.Namespace &&
            EdgeInfra.Components.Rendering.FleetMatcher.SelectorMatches(g.Selector, c.Labels)).ToList();
        var notReady = members.Where(c => DeploymentsIn(c.StatusNamespace).Any(b => FleetStates.StateOf(b.ForRules) != FleetBundleState.Ready)).ToList();
        w.WriteStartObject("status");
        w.WriteNumber("clusterCount", members.Count);
        w.WriteNumber("nonReadyClusterCount", notReady.Count);
        w.WriteStartArray("nonReadyClusters");
        foreach (var c in notReady.Take(10)) w.WriteStringValue(c.Name);
        w.WriteEndArray();
        w.WriteStartObject("display");
        w.WriteString("readyClusters", $"{members.Count - notReady.Count}/{members.Count}");
        w.WriteString("state", notReady.Count > 0 ? "NotReady" : "");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <remarks>Its status sums up every BundleDeployment of its bundles (thousands): written once per
    /// <see cref="ServedVersions.GitRepo"/> and copied into every list after that.</remarks>
    public void GitRepo(Utf8JsonWriter w, SimGitRepo r)
    {
        var bundles = ServedVersions.BundlesOf(sim, r);
        var bds = cache.DeploymentsOf(sim, r);
        var version = ServedVersions.GitRepo(r, bundles, bds);
        WriteCached(w, r, version, (r, version, bundles, bds), static (one, s) => WriteGitRepo(one, s.r, ServedVersions.ResourceVersion(s.version), s.bundles, s.bds));
    }

    private static void WriteGitRepo(Utf8JsonWriter w, SimGitRepo r, string version, List<SimBundle> bundles, List<SimBundleDeployment> bds)
    {
        w.WriteStartObject();
        Header(w, "GitRepo", r.Name, r.Namespace, version, r.Generation, r.Created, r.Labels, ServedVersions.Uid("GitRepo", r.Namespace, r.Name, r.Created));
        w.WritePropertyName("spec");
        r.Spec.WriteTo(w);
        var summary = FleetStates.Summarize(bds.Select(b => (b.Namespace + "/" + b.Name, FleetStates.StateOf(b.ForRules))));
        w.WriteStartObject("status");
        if (r.Commit.Length > 0) w.WriteString("commit", r.Commit);
        w.WriteNumber("observedGeneration", r.Generation);
        w.WriteString("gitJobStatus", "Current");
        if (r.LastPolled is { } polled) w.WriteString("lastPollingTriggered", Time(polled));
        var clusters = bds.GroupBy(b => b.Namespace).ToList();
        w.WriteNumber("desiredReadyClusters", clusters.Count);
        w.WriteNumber("readyClusters", clusters.Count(g => g.All(b => FleetStates.StateOf(b.ForRules) == FleetBundleState.Ready)));
        Summary(w, "summary", summary);
        w.WriteStartObject("display");
        w.WriteString("readyBundleDeployments", summary.ReadyClusters);
        w.WriteString("state", summary.DisplayState);
        w.WriteEndObject();
        var error = bundles.FirstOrDefault(b => b.Error is not null)?.Error;
        Conditions(w, ("Ready", error is null && summary.IsReady, error ?? summary.DisplayState, r.Created),
            ("Accepted", true, "", r.Created), ("GitPolling", true, "", r.Created));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public void Bundle(Utf8JsonWriter w, SimBundle b)
    {
        w.WriteStartObject();
        Header(w, "Bundle", b.Name, b.Namespace, b.ResourceVersion, b.Generation, b.Created, b.Labels);
        w.WriteStartObject("spec");
        foreach (var (key, value) in b.FleetYaml)
        {
            if (key is "name" or "labels" or "targetCustomizations" or "targetCustomizationMode" or "overrideTargets" or "imageScans" || value is null) continue;
            w.WritePropertyName(key);
            value.WriteTo(w);
        }
        var repoTargets = sim.State.GitRepos.TryGetValue(b.Namespace + "/" + b.GitRepo, out var repo) ? repo.Targets : [];
        if (b.FleetYaml["targetCustomizationMode"] is { } mode)
        {
            w.WritePropertyName("targetCustomizationMode");
            mode.WriteTo(w);
        }
        // Bundle.spec.targets = customizations then GitRepo targets; the GitRepo targets are also the restrictions.
        w.WriteStartArray("targets");
        foreach (var t in b.FleetYaml["targetCustomizations"] as JsonArray ?? []) t?.WriteTo(w);
        foreach (var t in repoTargets) t.WriteTo(w);
        w.WriteEndArray();
        w.WriteStartArray("targetRestrictions");
        foreach (var t in repoTargets)
        {
            w.WriteStartObject();
            foreach (var key in new[] { "name", "clusterName", "clusterSelector", "clusterGroup", "clusterGroupSelector" })
                if (t[key] is { } v)
                {
                    w.WritePropertyName(key);
                    v.WriteTo(w);
                }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("resources");
        if (sim.Setup.Repo.Read(b.Commit).BundleDirs.TryGetValue(b.Path, out var dir))
            foreach (var r in dir.Resources)
            {
                w.WriteStartObject();
                w.WriteString("name", r.Name);
                w.WriteString("content", r.Content);
                w.WriteEndObject();
            }
        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteStartObject("status");
        w.WriteNumber("observedGeneration", b.ObservedGeneration);
        w.WriteString("resourcesSha256Sum", b.ManifestId.StartsWith("s-", StringComparison.Ordinal) ? b.ManifestId[2..] : b.ManifestId);
        if (b.Status is { } s)
        {
            Summary(w, "summary", s.Summary);
            w.WriteNumber("unavailable", s.Unavailable);
            w.WriteNumber("maxUnavailable", s.MaxUnavailable);
            w.WriteNumber("unavailablePartitions", s.UnavailablePartitions);
            w.WriteNumber("maxUnavailablePartitions", s.MaxUnavailablePartitions);
            w.WriteNumber("newlyCreated", s.NewlyCreated);
            w.WriteStartArray("partitions");
            foreach (var p in s.Partitions)
            {
                w.WriteStartObject();
                w.WriteString("name", p.Name);
                if (p.Count > 0) w.WriteNumber("count", p.Count);
                if (p.MaxUnavailable > 0) w.WriteNumber("maxUnavailable", p.MaxUnavailable);
                if (p.Unavailable > 0) w.WriteNumber("unavailable", p.Unavailable);
                Summary(w, "summary", p.Summary);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("display");
            w.WriteString("readyClusters", s.Summary.ReadyClusters);
            w.WriteString("state", s.Summary.DisplayState);
            w.WriteEndObject();
        }
        var ready = b.Error is null && b.Status?.Summary.IsReady == true;
        Conditions(w, ("Ready", ready, b.Error ?? b.Status?.Summary.DisplayState ?? "", b.Created));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <remarks>A BD's JSON is a function of its fields, and every change of a field it shows bumps its resourceVersion
    /// (the agent's status writes and the controller's spec and label writes alike): so it is rendered once per
    /// resourceVersion and copied into every list after that (a status read lists every BD each gate interval).</remarks>
    public void BundleDeployment(Utf8JsonWriter w, SimBundleDeployment bd)
    {
        WriteCached(w, bd, new RenderedVersion(bd.ResourceVersion), (bd, writer: this), static (one, s) => s.writer.WriteBundleDeployment(one, s.bd));
    }

    private void WriteBundleDeployment(Utf8JsonWriter w, SimBundleDeployment bd)
    {
        w.WriteStartObject();
        var labels = cache.LabelsOf(bd);
        Header(w, "BundleDeployment", bd.Name, bd.Namespace, bd.ResourceVersion, bd.Generation, bd.Created, labels);
        w.WriteStartObject("spec");
        w.WriteString("deploymentID", bd.DeploymentId);
        w.WriteString("stagedDeploymentID", bd.StagedDeploymentId);
        Options(w, "options", bd.DeploymentId);
        Options(w, "stagedOptions", bd.StagedDeploymentId);
        w.WriteEndObject();

        w.WriteStartObject("status");
        if (bd.AppliedDeploymentId.Length > 0) w.WriteString("appliedDeploymentID", bd.AppliedDeploymentId);
        w.WriteBoolean("ready", bd.Ready);
        w.WriteBoolean("nonModified", bd.NonModified);
        if (bd.AppliedDeploymentId.Length > 0 && sim.State.Deployments.TryGetValue(bd.AppliedDeploymentId, out var applied))
            w.WriteString("release", $"{applied.Options["defaultNamespace"]?.GetValue<string>() ?? "default"}/{bd.BundleName}:{bd.Generation}");
        var since = bd.StatusChanged ?? bd.Created;
        var state = FleetStates.StateOf(bd.ForRules);
        w.WriteStartObject("display");
        w.WriteString("deployed", bd.Deployed switch { true => "True", false => "Error: " + bd.DeployedMessage, null => "" });
        w.WriteString("monitored", bd.Ready ? "True" : bd.AppliedDeploymentId.Length > 0 ? "NotReady" : "");
        w.WriteString("state", state.ToString());
        w.WriteEndObject();
        if (!bd.Ready && bd.AppliedDeploymentId.Length > 0 && bd.AppliedDeploymentId == bd.DeploymentId)
        {
            w.WriteStartArray("nonReadyStatus");
            w.WriteStartObject();
            w.WriteString("kind", "Deployment");
            w.WriteString("apiVersion", "apps/v1");
            w.WriteString("name", bd.BundleName);
            w.WriteString("summary", "");
            w.WriteEndObject();
            w.WriteEndArray();
        }
        var conditions = new List<(string, bool, string, DateTimeOffset)> { ("Ready", bd.Ready, bd.Ready ? "" : state.ToString(), since) };
        if (bd.Deployed is { } deployed) conditions.Add(("Deployed", deployed, bd.DeployedMessage, since));
        if (bd.AppliedDeploymentId.Length > 0) conditions.Add(("Installed", true, "", since));
        conditions.Add(("Monitored", bd.Ready, "", since));
        Conditions(w, [.. conditions]);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private void Options(Utf8JsonWriter w, string name, string deploymentId)
    {
        w.WritePropertyName(name);
        if (cache.OptionsJson(sim, deploymentId) is { } json) w.WriteRawValue(json, skipInputValidation: true);
        else
        {
            w.WriteStartObject();
            w.WriteEndObject();
        }
    }

    private List<SimBundleDeployment> DeploymentsIn(string ns) => cache.DeploymentsIn(sim, ns);

    private static void Header(Utf8JsonWriter w, string kind, string name, string ns, long resourceVersion, long generation,
        DateTimeOffset created, IReadOnlyDictionary<string, string> labels) =>
        Header(w, kind, name, ns, resourceVersion.ToString(CultureInfo.InvariantCulture), generation, created, labels, ServedVersions.Uid(kind, ns, name, created));

    private static void Header(Utf8JsonWriter w, string kind, string name, string ns, string resourceVersion, long generation,
        DateTimeOffset created, IReadOnlyDictionary<string, string> labels, string uid)
    {
        w.WriteString("apiVersion", ApiVersion);
        w.WriteString("kind", kind);
        w.WriteStartObject("metadata");
        w.WriteString("name", name);
        w.WriteString("namespace", ns);
        w.WriteString("uid", uid);
        w.WriteString("resourceVersion", resourceVersion);
        w.WriteNumber("generation", generation);
        WriteTime(w, "creationTimestamp", created);
        w.WriteStartObject("labels");
        foreach (var (k, v) in labels) w.WriteString(k, v);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    internal static void Summary(Utf8JsonWriter w, string name, FleetBundleSummary s)
    {
        w.WriteStartObject(name);
        void Count(string field, int value)
        {
            if (value > 0) w.WriteNumber(field, value);
        }
        Count("notReady", s.NotReady);
        Count("waitApplied", s.WaitApplied);
        Count("errApplied", s.ErrApplied);
        Count("outOfSync", s.OutOfSync);
        Count("modified", s.Modified);
        w.WriteNumber("ready", s.Ready);
        Count("pending", s.Pending);
        w.WriteNumber("desiredReady", s.DesiredReady);
        if (s.NonReadyResources.Count > 0)
        {
            w.WriteStartArray("nonReadyResources");
            foreach (var r in s.NonReadyResources)
            {
                w.WriteStartObject();
                w.WriteString("name", r.Name);
                w.WriteString("bundleState", r.State.ToString());
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void Conditions(Utf8JsonWriter w, params (string Type, bool Status, string Message, DateTimeOffset At)[] conditions)
    {
        w.WriteStartArray("conditions");
        foreach (var (type, status, message, at) in conditions)
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            w.WriteString("status", status ? "True" : "False");
            WriteTime(w, "lastUpdateTime", at);
            WriteTime(w, "lastTransitionTime", at);
            if (message.Length > 0) w.WriteString("message", message);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>Writes <see cref="Time"/>'s text without allocating a string: conditions carry two per object.</summary>
    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset t)
    {
        Span<char> text = stackalloc char[32];
        if (t.UtcDateTime.TryFormat(text, out var length, TimeFormat, CultureInfo.InvariantCulture)) w.WriteString(name, text[..length]);
        else w.WriteString(name, Time(t));
    }

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    internal static string Time(DateTimeOffset t) => t.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
}
