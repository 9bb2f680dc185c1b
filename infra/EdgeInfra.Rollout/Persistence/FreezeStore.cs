
namespace EdgeInfra.Rollout.Persistence;

/// <summary>The stack's freeze, persisted in <c>freeze.json</c> of its rollout directory (absent when not frozen).</summary>
public sealed class FreezeStore(RolloutPaths paths)
{
    public Freeze? Current() => AtomicJson.Read<Freeze>(paths.Freeze);

    public void Set(Freeze freeze) => AtomicJson.Write(paths.Freeze, freeze, paths.Durable);

    /// <summary>Lifts the freeze; returns the one lifted, or null when the stack was not frozen.</summary>
    public Freeze? Lift()
    {
        var current = Current();
        AtomicJson.Delete(paths.Freeze);
        return current;
    }
}
