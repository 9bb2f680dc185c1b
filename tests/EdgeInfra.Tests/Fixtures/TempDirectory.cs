namespace EdgeInfra.Tests.Fixtures;

/// <summary>A fresh directory under the system temp dir, deleted (with everything in it) on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "edgeinfra-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a server child may still hold a file for a moment; temp is cleaned by the OS */ }
        catch (UnauthorizedAccessException) { }
    }
}
