namespace EdgeInfra.Service.Rollouts;

/// <summary>A rollout of the stack is already running in this service; the message names it.</summary>
public sealed class RolloutConflictException(string message) : Exception(message);
