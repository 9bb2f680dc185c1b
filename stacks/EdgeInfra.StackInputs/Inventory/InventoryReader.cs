using System.Text;
using EdgeInfra.Components.Model;

namespace EdgeInfra.StackInputs.Inventory;

/// <summary>Reads a store inventory file, YAML or CSV by its extension; problems go to the caller's list.</summary>
public static class InventoryReader
{
    /// <param name="displayName">The file name used in problems and store locations (e.g. <c>stacks/prod/stores.yaml</c>).</param>
    /// <param name="cacheDir">Where to keep the parse of an unchanged file (see <see cref="InventoryCache"/>); null parses every time.</param>
    /// <param name="deferredWrites">When given, the cache write is added here instead of done: the caller runs it only
    /// once the whole run is accepted, so a refused run writes nothing.</param>
    public static IReadOnlyList<Store> Read(string path, string displayName, List<string> problems, string? cacheDir = null,
        List<Action>? deferredWrites = null)
    {
        if (!File.Exists(path))
        {
            problems.Add($"{displayName}: inventory file not found (set edge-infra:inventory or create it)");
            return [];
        }
        return cacheDir is null
            ? Parse(path, File.ReadAllBytes(path), displayName, problems)
            : InventoryCache.Read(path, displayName, cacheDir, problems, deferredWrites);
    }

    internal static IReadOnlyList<Store> Parse(string path, byte[] content, string displayName, List<string> problems)
    {
        using var reader = new StreamReader(new MemoryStream(content), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        return IsCsv(path)
            ? CsvInventoryReader.Read(reader, displayName, problems)
            : YamlInventoryReader.Read(reader.ReadToEnd(), displayName, problems);
    }

    public static bool IsCsv(string path) => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
}
