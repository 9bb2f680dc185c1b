namespace EdgeInfra.Service;

/// <summary>The service cannot start as configured; the message says why and what to do.</summary>
public sealed class ServiceStartException(string message) : Exception(message);
