namespace EdgeInfra.Lab.FleetRules;

/// <summary>An error Fleet's bundle reconcile returns (for example an invalid <c>maxUnavailable</c>): the pass changes nothing.</summary>
public sealed class FleetReconcileException(string message) : Exception(message);
