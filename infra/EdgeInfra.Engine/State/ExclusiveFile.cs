using System.Runtime.InteropServices;

namespace EdgeInfra.Engine.State;

/// <summary>Creates a file with its whole content only if no file of that name exists, atomically: readers see no
/// file or the complete file, never an empty or half-written one, even when the writer is killed mid-way.</summary>
/// <remarks>
/// The content goes to a private temp file first, which is then hard-linked to the target name; <c>link(2)</c> fails
/// with <c>EEXIST</c> when the name is taken, which is the same exclusivity <c>O_EXCL</c> gives, without the window in
/// which an <c>O_EXCL</c> file exists but is still empty. Where hard links are unavailable, a no-overwrite rename is
/// the fallback.
/// </remarks>
internal static class ExclusiveFile
{
    private const int EExist = 17;

    /// <summary>True when the file was created; false when a file of that name already exists.</summary>
    public static bool TryCreate(string path, ReadOnlySpan<byte> content)
    {
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                fs.Write(content);
                fs.Flush(flushToDisk: true);
            }
            if (OperatingSystem.IsWindows())
            {
                try { File.Move(temp, path, overwrite: false); return true; }
                catch (IOException) when (File.Exists(path)) { return false; }
            }
            if (Link(temp, path) == 0) return true;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EExist) return false;
            throw new IOException($"could not create {path}: link failed with errno {errno}");
        }
        finally
        {
            File.Delete(temp);
        }
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string created);
}
