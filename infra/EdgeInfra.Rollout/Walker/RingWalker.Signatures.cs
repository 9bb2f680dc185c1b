using EdgeInfra.Rollout.Gates;
using EdgeInfra.Rollout.Persistence;

namespace EdgeInfra.Rollout.Walker;

/// <summary>The walker's check of a release's signatures before it applies a ring, and how an apply's pinned digests
/// are shown.</summary>
public sealed partial class RingWalker
{
    /// <summary>How a hold on an unverified release names its cause, as a gate's would.</summary>
    public const string SignatureGate = "signature";

    /// <summary>Checks the release's signatures before each ring is applied; null when the stack verifies none. An
    /// unverified release holds the ring (audited with the reason) and is never applied.</summary>
    public IReleaseVerifier? Verifier { get; init; }

    private static readonly IReadOnlyDictionary<string, string> NoChecks = new Dictionary<string, string>();

    /// <summary>Verifies the release before <paramref name="ring"/> is applied. Answers the signature checks (none when
    /// the stack verifies nothing), or null checks when the ring was held instead (the walk waits and tries again), with
    /// the result when that hold timed out.</summary>
    private async Task<(IReadOnlyDictionary<string, string>? Checks, RolloutResult? TimedOut)> VerifyBeforeApplyAsync(RolloutState state,
        RingProgress ring, CancellationToken ct)
    {
        if (Verifier is null) return (NoChecks, null);
        var verdict = await Verifier.VerifyAsync(ring.Ring, ct);
        if (!verdict.Verified)
        {
            if (await HoldAsync(state, ring, [GateResult.Inconclusive(SignatureGate, verdict.Reason)], ct) is { } timedOut) return (null, timedOut);
            await WaitAsync(ct);
            return (null, null);
        }
        if (ring.HoldSince is not null)
        {
            ring.HoldSince = null;
            ring.HoldReason = null;
            Save(state, durable: false);
        }
        return (verdict.Checks, null);
    }

    /// <summary>The pinned digests of an apply as the timeline shows them: app@sha256:first 12 hex digits.</summary>
    private static string PinnedText(IReadOnlyDictionary<string, string> digests) =>
        digests.Count == 0 ? "" : " pinned " + string.Join(", ", digests.Select(d => $"{d.Key}@{(d.Value.Length > 19 ? d.Value[..19] : d.Value)}"));
}
