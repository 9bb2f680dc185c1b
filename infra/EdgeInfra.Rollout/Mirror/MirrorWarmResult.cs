using EdgeInfra.Providers.Registry;

namespace EdgeInfra.Rollout.Mirror;

/// <summary>What warming one zone × image did: the copy, or why it failed.</summary>
public sealed record MirrorWarmResult(MirrorTarget Target, ImageCopyResult? Copy, string? Error)
{
    public bool Succeeded => Error is null;
}
