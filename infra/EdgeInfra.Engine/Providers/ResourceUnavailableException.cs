namespace EdgeInfra.Engine.Providers;

/// <summary>A provider's failure that concerns one resource's target only (an unreachable store device, a refused host
/// key): the step fails, its dependents do not start, and the update goes on with every other resource.</summary>
/// <remarks>
/// Any other exception stops the update from starting new steps. This one is for targets that are independent of each
/// other, so that one dead device among hundreds does not hold back the rest of a ring. The update still fails.
/// </remarks>
public class ResourceUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
