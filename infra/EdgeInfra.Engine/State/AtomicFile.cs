namespace EdgeInfra.Engine.State;

/// <summary>Replaces a file's whole content atomically: readers see the old content or the new, never a torn file.</summary>
/// <remarks>
/// The content goes to a temp file private to this writer (process id and a GUID in its name, so concurrent writers of
/// one target never share a temp file), is flushed, then renamed over the target. A write that fails half-way (a full
/// disk) deletes its temp file: the old file still stands, and a torn temp file would only keep the disk full for the
/// next run.
/// </remarks>
public static class AtomicFile
{
    /// <param name="path">The file to replace (created with its directory when missing).</param>
    /// <param name="write">Writes the whole new content to the stream it is given.</param>
    /// <param name="durable">Also fsync before the rename: survives a power cut, not only a kill. A kill -9 never loses
    /// a renamed file either way.</param>
    public static void Write(string path, Action<Stream> write, bool durable = true)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: durable);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
