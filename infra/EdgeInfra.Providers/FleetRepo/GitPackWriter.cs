using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace EdgeInfra.Providers.FleetRepo;

/// <summary>The git object kinds a pack written here holds (their pack type numbers).</summary>
internal enum GitObjectKind { Commit = 1, Tree = 2, Blob = 3 }

/// <summary>Collects new git objects and writes them as one pack (with its v2 index) into a repository's object store.</summary>
/// <remarks>
/// libgit2 writes every new object as its own loose file, which costs about half a millisecond each here: a first run
/// over 10,000 stores spent seconds on that alone. One pack is one file; libgit2 finds it on its next object lookup
/// miss. Objects are stored whole (no deltas): the push builds its own pack with deltas for the wire.
/// </remarks>
internal sealed class GitPackWriter
{
    private static readonly byte[] EmptyZlib = [0x78, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
    private readonly Dictionary<string, (GitObjectKind Kind, byte[] Content)> _objects = new(StringComparer.Ordinal);

    public int Count => _objects.Count;

    /// <summary>Adds an object (deduplicated); returns its id.</summary>
    public string Add(GitObjectKind kind, byte[] content)
    {
        var id = IdOf(kind, content);
        _objects.TryAdd(id, (kind, content));
        return id;
    }

    /// <summary>The object id git gives <paramref name="content"/> of this kind (<c>git hash-object -t</c>).</summary>
    public static string IdOf(GitObjectKind kind, ReadOnlySpan<byte> content)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha.AppendData(Encoding.ASCII.GetBytes($"{KindName(kind)} {content.Length}\0"));
        sha.AppendData(content);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Writes the pack and its index into <paramref name="objectsDir"/> (the repo's <c>objects</c> dir); no-op when empty.</summary>
    public void WriteTo(string objectsDir)
    {
        if (_objects.Count == 0) return;
        var packDir = Path.Combine(objectsDir, "pack");
        Directory.CreateDirectory(packDir);

        var entries = new List<(byte[] Id, long Offset, uint Crc)>(_objects.Count);
        var tmpPack = Path.Combine(packDir, $"tmp_pack_{Guid.NewGuid():N}");
        byte[] packChecksum;
        using (var file = new FileStream(tmpPack, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1))
        {
            var header = new byte[12];
            "PACK"u8.CopyTo(header);
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), 2);
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), (uint)_objects.Count);
            Emit(file, sha, header);

            var buffer = new MemoryStream();
            foreach (var (id, (kind, content)) in _objects)
            {
                buffer.SetLength(0);
                WriteObjectHeader(buffer, kind, content.Length);
                if (content.Length == 0) buffer.Write(EmptyZlib); // ZLibStream emits no stream at all for no input
                else using (var zlib = new ZLibStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) zlib.Write(content);
                var packed = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
                entries.Add((Convert.FromHexString(id), file.Position, Crc32.Compute(packed)));
                Emit(file, sha, packed);
            }
            packChecksum = sha.GetHashAndReset();
            file.Write(packChecksum);
        }

        var name = $"pack-{Convert.ToHexStringLower(packChecksum)}";
        var tmpIndex = Path.Combine(packDir, $"tmp_idx_{Guid.NewGuid():N}");
        File.WriteAllBytes(tmpIndex, Index(entries, packChecksum));
        // git's order: the pack first, then the index that makes it visible.
        File.Move(tmpPack, Path.Combine(packDir, name + ".pack"), overwrite: true);
        File.Move(tmpIndex, Path.Combine(packDir, name + ".idx"), overwrite: true);
        _objects.Clear();
    }

    private static byte[] Index(List<(byte[] Id, long Offset, uint Crc)> entries, byte[] packChecksum)
    {
        entries.Sort((a, b) => a.Id.AsSpan().SequenceCompareTo(b.Id));
        var index = new MemoryStream(8 + 256 * 4 + entries.Count * 28 + 40);
        var word = new byte[4];
        void Word(uint value) { BinaryPrimitives.WriteUInt32BigEndian(word, value); index.Write(word); }

        index.Write([0xff, (byte)'t', (byte)'O', (byte)'c']);
        Word(2);
        var fanout = new uint[256];
        foreach (var e in entries) fanout[e.Id[0]]++;
        uint running = 0;
        foreach (var count in fanout) Word(running += count);
        foreach (var e in entries) index.Write(e.Id);
        foreach (var e in entries) Word(e.Crc);
        foreach (var e in entries)
        {
            if (e.Offset >= 0x80000000) throw new InvalidOperationException("fleet repo pack over 2 GiB");
            Word((uint)e.Offset);
        }
        index.Write(packChecksum);
        index.Write(SHA1.HashData(index.GetBuffer().AsSpan(0, (int)index.Length)));
        return index.ToArray();
    }

    private static void WriteObjectHeader(Stream stream, GitObjectKind kind, long size)
    {
        var b = (byte)(((int)kind << 4) | (int)(size & 0x0f));
        size >>= 4;
        while (size > 0)
        {
            stream.WriteByte((byte)(b | 0x80));
            b = (byte)(size & 0x7f);
            size >>= 7;
        }
        stream.WriteByte(b);
    }

    private static void Emit(Stream file, IncrementalHash sha, ReadOnlySpan<byte> data)
    {
        sha.AppendData(data);
        file.Write(data);
    }

    private static string KindName(GitObjectKind kind) => kind switch
    {
        GitObjectKind.Commit => "commit",
        GitObjectKind.Tree => "tree",
        _ => "blob",
    };

    private static class Crc32
    {
        private static readonly uint[] Table = Build();

        public static uint Compute(ReadOnlySpan<byte> data)
        {
            var crc = 0xffffffffu;
            foreach (var b in data) crc = Table[(crc ^ b) & 0xff] ^ (crc >> 8);
            return ~crc;
        }

        private static uint[] Build()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                var c = n;
                for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xedb88320u ^ (c >> 1) : c >> 1;
                table[n] = c;
            }
            return table;
        }
    }
}
