using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace EdgeInfra.Engine.State;

/// <summary>Large property values (rendered files) stored once each, addressed by the SHA-256 of their UTF-8 bytes.</summary>
/// <remarks>
/// <para>A checkpoint or a history version then names each file's content by its hash, so a version costs what changed
/// in it: at 10,000 stores nearly every rendered file is the same from one release to the next.</para>
/// <para>Blobs live in pack files (<c>blobs/&lt;sha256 of the pack&gt;.pack</c>), one per write that had new content, so
/// 100,000 distinct files are a few files on disk, not 100,000. A record is the blob's 32-byte hash, a flags byte (1:
/// deflated), its stored length (4 bytes, little-endian) and its bytes (UTF-8). Packs are written atomically and before any file that refers to them, so a kill at any
/// point leaves either an unreferenced pack (harmless) or a pack and the file that needs it; never a reference without
/// its blob. Packs are never rewritten or deleted: history refers to old content too.</para>
/// <para>Values that are secret never get here (they are stored encrypted, inline).</para>
/// </remarks>
internal sealed class ContentStore(string dir)
{
    /// <summary>Values shorter than this stay inline: a reference costs about 80 bytes. A store's smallest rendered
    /// file, its zone's <c>registries.yaml</c>, is 90–300 characters.</summary>
    public const int MinLength = 128;

    private const string Extension = ".pack";
    private readonly Lock _gate = new();
    private const int HeaderLength = 37;
    private const byte Deflated = 1;
    private readonly Dictionary<string, (byte[] Pack, int Offset, int Length, byte Flags)> _index = new(StringComparer.Ordinal);
    private readonly HashSet<string> _packsRead = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _decoded = new(StringComparer.Ordinal);
    // The hash of each value this process has seen, by instance: state read back and re-written is not hashed again.
    private readonly ConditionalWeakTable<string, string> _hashOf = new();
    private readonly Dictionary<string, (string Value, bool Compress)> _pending = new(StringComparer.Ordinal);
    private bool _scanned;

    /// <summary>Whether a value is stored by reference rather than inline.</summary>
    public static bool IsLarge(string value) => value.Length >= MinLength;

    /// <summary>The hash naming <paramref name="value"/>; the value is written with the next <see cref="Flush"/> unless
    /// a pack already holds it.</summary>
    public string Put(string value)
    {
        if (!_hashOf.TryGetValue(value, out var hash))
        {
            hash = Hash(value);
            _hashOf.AddOrUpdate(value, hash);
        }
        Stage(hash, value, compress: false);
        return hash;
    }

    /// <summary>Stores <paramref name="value"/> deflated under a name the caller derived (a desired-state chunk is named
    /// by the hash of its secret-free form, while the stored form carries encrypted secrets whose nonces differ per run).</summary>
    public void PutCompressed(string hash, string value) => Stage(hash, value, compress: true);

    /// <summary>Whether the value named <paramref name="hash"/> is stored (or staged to be).</summary>
    public bool Contains(string hash)
    {
        lock (_gate)
        {
            if (!_scanned) ReadNewPacks();
            return _index.ContainsKey(hash) || _pending.ContainsKey(hash);
        }
    }

    private void Stage(string hash, string value, bool compress)
    {
        lock (_gate)
        {
            // Packs another run writes after this first look only cost a second copy of what they share with ours.
            if (!_scanned) ReadNewPacks();
            if (!_index.ContainsKey(hash)) _pending.TryAdd(hash, (value, compress));
        }
    }

    /// <summary>The value named <paramref name="hash"/>; packs written since the last look (by another run) are read
    /// when it is not known yet.</summary>
    public string Get(string hash)
    {
        if (_decoded.TryGetValue(hash, out var value)) return value;
        var (staged, at) = Locate(hash);
        if (staged is not null) return staged;
        if ((at.Flags & Deflated) != 0) return Encoding.UTF8.GetString(Inflate(at)); // chunks: read once, not cached
        value = _decoded.GetOrAdd(hash, Encoding.UTF8.GetString(at.Pack, at.Offset, at.Length));
        _hashOf.AddOrUpdate(value, hash);
        return value;
    }

    /// <summary>The UTF-8 bytes of the value named <paramref name="hash"/> (chunks: parsed once, never kept as strings).</summary>
    public byte[] GetUtf8(string hash)
    {
        var (staged, at) = Locate(hash);
        if (staged is not null) return Encoding.UTF8.GetBytes(staged);
        return (at.Flags & Deflated) != 0 ? Inflate(at) : at.Pack.AsSpan(at.Offset, at.Length).ToArray();
    }

    /// <summary>Every value stored on disk, decoded (inflated), for checking what the packs hold.</summary>
    public IEnumerable<string> StoredValues()
    {
        List<string> hashes;
        lock (_gate)
        {
            ReadNewPacks();
            hashes = [.. _index.Keys];
        }
        return hashes.Select(h => Encoding.UTF8.GetString(GetUtf8(h)));
    }

    private (string? Staged, (byte[] Pack, int Offset, int Length, byte Flags) At) Locate(string hash)
    {
        lock (_gate)
        {
            if (_pending.TryGetValue(hash, out var staged)) return (staged.Value, default);
            if (_index.TryGetValue(hash, out var at)) return (null, at);
            ReadNewPacks();
            return _index.TryGetValue(hash, out at) ? (null, at)
                : throw new InvalidDataException($"{dir}: no stored content with SHA-256 {hash} (a pack file is missing)");
        }
    }

    private static byte[] Inflate((byte[] Pack, int Offset, int Length, byte Flags) at)
    {
        using var inflate = new DeflateStream(new MemoryStream(at.Pack, at.Offset, at.Length), CompressionMode.Decompress);
        using var result = new MemoryStream(at.Length * 6);
        inflate.CopyTo(result);
        return result.ToArray();
    }

    /// <summary>Writes every value <see cref="Put"/> since the last flush as one new pack (fsynced), before the caller
    /// writes the file that refers to them.</summary>
    public void Flush()
    {
        KeyValuePair<string, (string Value, bool Compress)>[] batch;
        lock (_gate)
        {
            if (_pending.Count == 0) return;
            batch = [.. _pending.OrderBy(p => p.Key, StringComparer.Ordinal)];
        }
        var bytes = Pack(batch);
        var name = Convert.ToHexStringLower(SHA256.HashData(bytes)) + Extension;
        var path = Path.Combine(dir, name);
        if (!File.Exists(path)) AtomicFile.Write(path, s => s.Write(bytes));
        lock (_gate)
        {
            _packsRead.Add(name);
            Index(bytes);
            foreach (var (hash, _) in batch) _pending.Remove(hash);
        }
    }

    private static byte[] Pack(KeyValuePair<string, (string Value, bool Compress)>[] batch)
    {
        using var ms = new MemoryStream();
        Span<byte> header = stackalloc byte[HeaderLength];
        foreach (var (hash, (value, compress)) in batch)
        {
            var data = Encoding.UTF8.GetBytes(value);
            if (compress)
            {
                using var deflated = new MemoryStream();
                using (var d = new DeflateStream(deflated, CompressionLevel.Fastest, leaveOpen: true)) d.Write(data);
                data = deflated.ToArray();
            }
            Convert.FromHexString(hash, header[..32], out _, out _);
            header[32] = compress ? Deflated : (byte)0;
            BinaryPrimitives.WriteInt32LittleEndian(header[33..], data.Length);
            ms.Write(header);
            ms.Write(data);
        }
        return ms.ToArray();
    }

    private void ReadNewPacks()
    {
        _scanned = true;
        if (!Directory.Exists(dir)) return;
        foreach (var path in Directory.EnumerateFiles(dir, "*" + Extension))
        {
            var name = Path.GetFileName(path);
            if (_packsRead.Contains(name)) continue;
            Index(File.ReadAllBytes(path));
            _packsRead.Add(name);
        }
    }

    private void Index(byte[] pack)
    {
        var at = 0;
        while (at < pack.Length)
        {
            if (pack.Length - at < HeaderLength) throw new InvalidDataException($"{dir}: truncated pack file");
            var hash = Convert.ToHexStringLower(pack, at, 32);
            var length = BinaryPrimitives.ReadInt32LittleEndian(pack.AsSpan(at + 33, 4));
            if (length < 0 || length > pack.Length - at - HeaderLength) throw new InvalidDataException($"{dir}: truncated pack file");
            _index.TryAdd(hash, (pack, at + HeaderLength, length, pack[at + 32]));
            at += HeaderLength + length;
        }
    }

    private static string Hash(string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        var buffer = max <= 1 << 14 ? stackalloc byte[max] : new byte[max];
        var n = Encoding.UTF8.GetBytes(value, buffer);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer[..n], hash);
        return Convert.ToHexStringLower(hash);
    }
}
