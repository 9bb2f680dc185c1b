using EdgeInfra.Rollout.Gates;

namespace EdgeInfra.Rollout.Walker;

/// <summary>A gate whose Inconclusive verdict is an expected wait (bake time, a maintenance window not yet open), not a
/// problem: the ring waits, but the hold timeout does not run.</summary>
public interface IScheduleGate : IGate;
