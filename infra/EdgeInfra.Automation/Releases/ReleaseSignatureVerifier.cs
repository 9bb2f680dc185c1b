using EdgeInfra.Components.Model;
using EdgeInfra.Engine;
using EdgeInfra.Providers.Registry;
using EdgeInfra.Providers.Registry.Signatures;
using EdgeInfra.Rollout.Audit;
using EdgeInfra.Rollout.Walker;
using EdgeInfra.StackInputs.Config;

namespace EdgeInfra.Automation.Releases;

/// <summary>Checks each pinned image digest of a release against its app's key from <c>edge-infra:release.verify</c>: a
/// cosign signature in the image's upstream registry, made by that key, over a payload naming that digest.</summary>
/// <remarks>The lab's simulated registry holds no signatures, so a lab stack that verifies an app must point its image
/// host at a real registry (<c>edge-infra:registries</c>). Keys are read and parsed when the verifier is built, so a bad
/// key file stops the verb before anything is applied.</remarks>
internal sealed class ReleaseSignatureVerifier : IReleaseVerifier
{
    private readonly FleetModel _model;
    private readonly IReadOnlyList<(AppSpec App, ImageReference Image, CosignPublicKey Key)> _verified;
    private readonly Func<string, RegistryClient?> _registry;

    private ReleaseSignatureVerifier(FleetModel model, IReadOnlyList<(AppSpec, ImageReference, CosignPublicKey)> verified,
        Func<string, RegistryClient?> registry)
    {
        _model = model;
        _verified = verified;
        _registry = registry;
    }

    /// <summary>The verifier of the workspace's stack, over <paramref name="pool"/>; null when the stack verifies nothing.</summary>
    /// <exception cref="InputException">A key file is not an ECDSA P-256 or Ed25519 public key, or names an app without an image.</exception>
    public static ReleaseSignatureVerifier? For(FleetWorkspace ws, RegistryClientPool pool)
    {
        var specs = ReleaseConfigReader.Load(ws.Config, ws.Project.ProjectDir);
        if (specs.Count == 0) return null;
        var problems = new List<string>();
        var verified = new List<(AppSpec, ImageReference, CosignPublicKey)>();
        foreach (var spec in specs.Values.OrderBy(s => s.App, StringComparer.Ordinal))
        {
            var app = ws.Model.Apps.FirstOrDefault(a => a.Name == spec.App);
            if (app?.Image is null)
            {
                problems.Add($"{spec.Location}: {ReleaseConfigReader.Key}.verify.{spec.App}: " +
                             (app is null ? "no such app" : "the app has no image to verify"));
                continue;
            }
            try { verified.Add((app, ImageReference.Parse(app.Image, app.Version), CosignPublicKey.Parse(spec.Pem))); }
            catch (FormatException e) { problems.Add($"{spec.Location}: {ReleaseConfigReader.Key}.verify.{spec.App}: {spec.KeyFile}: {e.Message}"); }
        }
        if (problems.Count > 0) throw new InputException(problems);

        var configured = UpstreamRegistryConfigReader.Read(ws.Config);
        var lab = HubConfigReader.Load(ws.Config, ws.Project.ProjectDir).IsLab;
        var hosts = verified.Select(v => v.Item2.Host).Where(h => !lab || configured.ContainsKey(h));
        var endpoints = MirrorAccess.Upstreams(ws.Config, hosts);
        return new ReleaseSignatureVerifier(ws.Model, verified, host => endpoints.TryGetValue(host, out var e) ? pool.For(e) : null);
    }

    public async Task<ReleaseVerdict> VerifyAsync(string ring, CancellationToken cancellationToken)
    {
        var checks = new Dictionary<string, string>(StringComparer.Ordinal);
        var refused = new List<string>();
        foreach (var (app, image, key) in _verified)
        {
            var (verified, detail) = await CheckAsync(app, image, key, cancellationToken);
            checks[app.Name] = $"{(verified ? "verified" : "refused")} {app.Digest ?? image.Reference}: {detail}";
            if (!verified) refused.Add($"{app.Name} {app.Version} ({image.Host}/{image.Repository}@{app.Digest ?? "?"}): {detail}");
        }
        return refused.Count == 0
            ? new ReleaseVerdict(true, $"every verified image of {_model.Stack} ring {ring} is signed: {string.Join("; ", checks.Values)}", checks)
            : new ReleaseVerdict(false, $"the release is not applied: {string.Join("; ", refused)}", checks);
    }

    private async Task<(bool Verified, string Detail)> CheckAsync(AppSpec app, ImageReference image, CosignPublicKey key, CancellationToken ct)
    {
        if (app.Digest is null) return (false, "its image is not pinned to a digest");
        if (_registry(image.Host) is not { } registry)
            return (false, $"the lab's simulated registry holds no signatures; point {image.Host} at a registry in {UpstreamRegistryConfigReader.Key}");
        try
        {
            var check = await CosignVerifier.VerifyAsync(registry, image.Repository, app.Digest, key, ct);
            return (check.Verified, check.Detail);
        }
        catch (RegistryException e)
        {
            return (false, $"cannot read its signatures: {e.Message}");
        }
    }

    /// <summary>Refuses, audited, to apply <paramref name="rings"/> (by hand: <c>up</c>) at a release whose signatures do
    /// not verify; does nothing when the stack verifies none.</summary>
    /// <exception cref="ReleaseUnverifiedException">A verified image is unsigned or wrongly signed.</exception>
    public static async Task RefuseUnverifiedAsync(FleetWorkspace ws, IEnumerable<string> rings, string? actor, TimeProvider time, CancellationToken ct)
    {
        using var pool = new RegistryClientPool(new RegistryClientOptions(Attempts: 3), TimeProvider.System);
        if (For(ws, pool) is not { } verifier) return;
        foreach (var ring in rings)
        {
            var verdict = await verifier.VerifyAsync(ring, ct);
            if (verdict.Verified) continue;
            var scope = RolloutScope.Of(ws, actor);
            await scope.RecordAsync(time, AuditActions.SignatureRefused, verdict.Reason, ring, StackOutputs.Release(ws.RingStack(ring)).Key,
                verdict.Checks.ToDictionary(c => $"signature.{c.Key}", c => c.Value, StringComparer.Ordinal), ct);
            throw new ReleaseUnverifiedException($"stack {ws.Stack} ring {ring}: {verdict.Reason}");
        }
    }
}

/// <summary>An apply refused because a release image's signature did not verify; nothing was applied.</summary>
public sealed class ReleaseUnverifiedException(string message) : Exception(message);
