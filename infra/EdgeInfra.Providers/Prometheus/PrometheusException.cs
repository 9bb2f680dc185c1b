namespace EdgeInfra.Providers.Prometheus;

/// <summary>A Prometheus query could not be answered: unreachable, timed out, rejected (bad query) or an unusable answer.</summary>
public sealed class PrometheusException(string message, Exception? inner = null) : Exception(message, inner);
