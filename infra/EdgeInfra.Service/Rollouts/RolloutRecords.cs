using System.Text.Json;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Service.Rollouts;

/// <summary>The service's rollout records of one stack, one JSON file each beside the walker's own state.</summary>
internal sealed class RolloutRecords(string dir)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public void Save(RolloutRecord record) =>
        AtomicFile.Write(Path.Combine(dir, record.Id + ".json"), s => JsonSerializer.Serialize(s, record, Json));

    public void Delete(string id)
    {
        if (IsId(id)) File.Delete(Path.Combine(dir, id + ".json"));
    }

    public RolloutRecord? Find(string id) =>
        IsId(id) && File.Exists(Path.Combine(dir, id + ".json")) ? Read(Path.Combine(dir, id + ".json")) : null;

    /// <summary>Every record, newest first.</summary>
    public IReadOnlyList<RolloutRecord> List() =>
        !Directory.Exists(dir) ? [] : [.. Directory.EnumerateFiles(dir, "ro-*.json").Select(Read).OfType<RolloutRecord>().OrderByDescending(r => r.Started).ThenByDescending(r => r.Id, StringComparer.Ordinal)];

    private static RolloutRecord? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<RolloutRecord>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a readable rollout record: {e.Message}", e);
        }
    }

    /// <summary>Ids are the service's own; anything else (a path, a dot) names no record.</summary>
    private static bool IsId(string id) => id.StartsWith("ro-", StringComparison.Ordinal) && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
