using System.Security.Cryptography;
using System.Text.Json;
using EdgeInfra.Components.Model;

namespace EdgeInfra.StackInputs.Inventory;

/// <summary>Keeps the parse of an inventory file, keyed by the file's SHA-256, so an unchanged 10,000-store YAML file is
/// read back in a fraction of the time YamlDotNet needs to parse it.</summary>
/// <remarks>
/// Only a parse without problems is kept: a file with problems is parsed every time so every problem is reported.
/// Validation always runs on what comes back. The key also holds the reader's assembly version id, so a new EdgeInfra
/// build never trusts a cache an older reader wrote. The cache is a cache: unreadable or stale, it is ignored and
/// rewritten, never an error.
/// </remarks>
internal static class InventoryCache
{
    private const int FormatVersion = 1;

    public static IReadOnlyList<Store> Read(string path, string displayName, string cacheDir, List<string> problems, List<Action>? deferredWrites = null)
    {
        var bytes = File.ReadAllBytes(path);
        var key = Key(bytes, displayName);
        var file = Path.Combine(cacheDir, $"{Path.GetFileName(path)}.{key[..16]}.json");
        if (TryLoad(file, key) is { } cached) return cached;

        var before = problems.Count;
        var stores = InventoryReader.Parse(path, bytes, displayName, problems);
        if (problems.Count == before)
        {
            if (deferredWrites is null) TrySave(file, key, displayName, stores);
            else deferredWrites.Add(() => TrySave(file, key, displayName, stores));
        }
        return stores;
    }

    private static string Key(byte[] content, string displayName)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(content);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"\n{displayName}\n{FormatVersion}\n{typeof(InventoryCache).Assembly.ManifestModule.ModuleVersionId}"));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static List<Store>? TryLoad(string file, string key)
    {
        try
        {
            if (!File.Exists(file)) return null;
            var reader = new Utf8JsonReader(File.ReadAllBytes(file));
            reader.Read(); // [
            reader.Read();
            if (reader.GetString() != key) return null;
            reader.Read();
            var displayName = reader.GetString()!;
            var factory = new StoreFactory();
            var stores = new List<Store>();
            while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
            {
                reader.Read();
                var id = reader.GetString()!;
                reader.Read();
                var line = reader.GetInt32();
                var labels = new List<KeyValuePair<string, string>>(12);
                while (reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    var k = factory.Intern(reader.GetString()!);
                    reader.Read();
                    labels.Add(KeyValuePair.Create(k, factory.Intern(reader.GetString()!)));
                }
                stores.Add(StoreFactory.Create(id, labels, new SourceLocation(displayName, line)));
            }
            return stores;
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void TrySave(string file, string key, string displayName, IReadOnlyList<Store> stores)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var temp = $"{file}.{Environment.ProcessId}.tmp";
            using (var stream = File.Create(temp))
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartArray();
                writer.WriteStringValue(key);
                writer.WriteStringValue(displayName);
                foreach (var s in stores)
                {
                    writer.WriteStartArray();
                    writer.WriteStringValue(s.Id);
                    writer.WriteNumberValue(s.Location.Line);
                    foreach (var (k, v) in s.Labels) { writer.WriteStringValue(k); writer.WriteStringValue(v); }
                    writer.WriteEndArray();
                }
                writer.WriteEndArray();
            }
            foreach (var old in Directory.EnumerateFiles(Path.GetDirectoryName(file)!, $"{Path.GetFileName(file).Split('.')[0]}.*.json"))
                if (old != file) File.Delete(old);
            File.Move(temp, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only or full disk costs speed, not correctness.
        }
    }
}
