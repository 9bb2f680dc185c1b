using EdgeInfra.Components.Model;

namespace EdgeInfra.Stacks.Inventory;

/// <summary>Reads a store inventory file, YAML or CSV by its extension; problems go to the caller's list.</summary>
public static class InventoryReader
{
    /// <param name="displayName">The file name used in problems and store locations (e.g. <c>stacks/prod/stores.yaml</c>).</param>
    public static IReadOnlyList<Store> Read(string path, string displayName, List<string> problems)
    {
        if (!File.Exists(path))
        {
            problems.Add($"{displayName}: inventory file not found (set edge-infra:inventory or create it)");
            return [];
        }
        if (IsCsv(path))
        {
            using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            return CsvInventoryReader.Read(reader, displayName, problems);
        }
        return YamlInventoryReader.Read(File.ReadAllText(path), displayName, problems);
    }

    public static bool IsCsv(string path) => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
}
