using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeInfra.Engine.State;

namespace EdgeInfra.Rollout.Persistence;

/// <summary>Reads and writes the rollout host's small JSON files; a write goes to a temp file that is fsynced and
/// renamed over the target, so a kill at any point leaves the old content or the new, never a torn file.</summary>
internal static class AtomicJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static T? Read<T>(string path) where T : class
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllBytes(path), Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not readable rollout state: {e.Message}", e);
        }
    }

    /// <param name="durable">Also fsync before the rename: survives a power cut, not only a kill. A kill -9 never
    /// loses a renamed file either way, so per-interval bookkeeping skips the (milliseconds) fsync.</param>
    public static void Write<T>(string path, T value, bool durable = true) =>
        AtomicFile.Write(path, fs => JsonSerializer.Serialize(fs, value, Options), durable);

    public static void Delete(string path)
    {
        if (File.Exists(path)) File.Delete(path);
    }
}
