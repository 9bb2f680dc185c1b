using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Components.FleetSchema;

/// <summary>Remembers which rendered files (path and content) passed Fleet's schemas, so a run validates only what changed.</summary>
/// <remarks>
/// At 10,000 stores validating every Cluster file costs seconds, while a release bump changes a handful of fleet.yaml
/// files. Entries are SHA-256 digests of path and content; the file starts with the fingerprint of the embedded schemas,
/// so new schemas (a Fleet upgrade) invalidate it. Only files seen in this run are written back, so it does not grow,
/// and the caller saves it only after a run that found no problem. The write goes through a temporary file and a rename:
/// a crash leaves the old cache or the new one, and an unreadable cache is simply ignored.
/// </remarks>
public sealed class ValidatedContentCache
{
    private readonly string _path;
    private readonly string _fingerprint;
    private readonly HashSet<string> _known;
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);
    private int _added;

    private ValidatedContentCache(string path, string fingerprint, HashSet<string> known)
    {
        _path = path;
        _fingerprint = fingerprint;
        _known = known;
    }

    /// <summary>Reads the cache at <paramref name="path"/>; empty when it is missing, unreadable or of other schemas.</summary>
    public static ValidatedContentCache Load(string path, string fingerprint)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            if (File.Exists(path))
            {
                using var reader = new StreamReader(path);
                if (reader.ReadLine() == fingerprint)
                    for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
                        known.Add(line);
            }
        }
        catch (IOException) { known.Clear(); }
        catch (UnauthorizedAccessException) { known.Clear(); }
        return new ValidatedContentCache(path, fingerprint, known);
    }

    /// <summary>True when this exact file passed before; the entry is kept for the next run.</summary>
    public bool Passed(RenderedFile file)
    {
        var key = Key(file);
        if (!_known.Contains(key)) return false;
        _seen.TryAdd(key, 0);
        return true;
    }

    /// <summary>Records that <paramref name="file"/> passed in this run.</summary>
    public void Add(RenderedFile file)
    {
        if (_seen.TryAdd(Key(file), 0)) Interlocked.Increment(ref _added);
    }

    /// <summary>Keeps the entry <paramref name="key"/> (<see cref="KeyOf"/> of a file that passed) for the next run
    /// without hashing the file again: for files whose verdict the caller already holds.</summary>
    public void Keep(string key)
    {
        if (_seen.TryAdd(key, 0) && !_known.Contains(key)) Interlocked.Increment(ref _added);
    }

    /// <summary>Writes the entries seen in this run, when they differ from what was read.</summary>
    public void Save()
    {
        if (_added == 0 && _seen.Count == _known.Count) return;
        var text = new StringBuilder(_fingerprint.Length + 1 + _seen.Count * 33).Append(_fingerprint).Append('\n');
        foreach (var key in _seen.Keys.Order(StringComparer.Ordinal)) text.Append(key).Append('\n');
        // Not durable: a cache lost to a power cut only costs the next run its validation again.
        AtomicFile.Write(_path, fs => fs.Write(Encoding.UTF8.GetBytes(text.ToString())), durable: false);
    }

    /// <summary>The entry naming <paramref name="file"/>: 128 bits of the SHA-256 of its path and content, in hex.</summary>
    public static string KeyOf(RenderedFile file) => Key(file);

    private static string Key(RenderedFile file)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(file.Path + "\0" + file.Content), digest);
        return Convert.ToHexStringLower(digest[..16]);
    }
}
