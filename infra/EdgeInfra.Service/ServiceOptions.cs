using EdgeInfra.StackInputs.Config;

namespace EdgeInfra.Service;

/// <summary>How one service process runs: the stack it serves, where it listens, who may call it.</summary>
/// <param name="Readiness">Lists what keeps the service from serving (state unreadable, hub unreachable); empty when
/// ready. Null: ready once listening.</param>
public sealed record ServiceOptions(
    string Stack,
    ListenAddress Listen,
    ServiceSettings Settings,
    Func<CancellationToken, Task<IReadOnlyList<string>>>? Readiness = null);
