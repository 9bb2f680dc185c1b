using System.Globalization;
using System.Text.Json;

namespace EdgeInfra.Providers.Prometheus;

/// <summary>Parses Prometheus' JSON sample pairs <c>[ &lt;unix seconds&gt;, "&lt;value&gt;" ]</c>, whose values are strings so
/// that <c>NaN</c>, <c>+Inf</c> and <c>-Inf</c> survive JSON.</summary>
internal static class PromValue
{
    public static double Parse(string text) => text switch
    {
        "NaN" => double.NaN,
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new FormatException($"'{text}' is not a Prometheus sample value"),
    };

    /// <summary>Reads a <c>[time, "value"]</c> pair.</summary>
    public static (DateTimeOffset Time, double Value) ReadPair(JsonElement pair)
    {
        if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
            throw new FormatException("a sample must be [time, \"value\"]");
        var seconds = pair[0].GetDouble();
        var value = pair[1].ValueKind == JsonValueKind.String ? Parse(pair[1].GetString()!) : pair[1].GetDouble();
        return (DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)), value);
    }
}
