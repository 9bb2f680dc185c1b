namespace EdgeInfra.Service;

/// <summary>Hands memory a whole-stack load left behind back to the OS, so an idle service holds what it keeps, not the
/// peak of its last load.</summary>
/// <remarks>Validating the stack at start and every status read load and render the whole fleet (hundreds of MB at
/// 10,000 stores) to keep a few MB; without allocation pressure the GC would keep that heap committed for good. One
/// compacting collection after such a load, off the request path, decommits it.</remarks>
public static class ServiceMemory
{
    public static void TrimAfterLoad() =>
        _ = Task.Run(() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true));
}
