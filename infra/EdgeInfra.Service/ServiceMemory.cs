using System.Runtime.InteropServices;

namespace EdgeInfra.Service;

/// <summary>Hands memory a whole-stack load left behind back to the OS, so an idle service holds what it keeps, not the
/// peak of its last load.</summary>
/// <remarks>
/// Validating the stack at start, a status read and a rollout allocate far more than they keep (a status read of 10,000
/// stores: ~500 MB allocated, a few MB kept); without allocation pressure the GC would keep that heap committed for
/// good. One compacting collection after such a load, off the request path, decommits it.
/// <para>The collection waits <see cref="Settle"/> first. Called right after a load, it would run while the load's
/// callers are still on the stack: an awaited method's continuation runs inside the completing method's frame, whose
/// state machine (the whole loaded workspace) is only released when that frame returns. Collected then, ~170 MB of a
/// 10,000-store load survived as live and stayed committed while the service idled.</para>
/// <para>Native memory too: a rollout's git work (libgit2: the fleet repo's objects, packs and caches) is freed into
/// glibc's malloc arenas, which keep it (~20 MB after a lab rollout) until asked to trim.</para>
/// </remarks>
public static class ServiceMemory
{
    /// <summary>How long after a load the collection runs: long enough for every frame of the load to have returned.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    public static void TrimAfterLoad(TimeProvider time) =>
        _ = Task.Run(async () =>
        {
            await Task.Delay(Settle, time).ConfigureAwait(false);
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            TrimNativeHeap();
        });

    private static void TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc (musl has no malloc_trim): its allocator returns memory on its own terms.
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
