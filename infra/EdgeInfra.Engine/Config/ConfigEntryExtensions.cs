using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Engine.Config;

/// <summary>Typed reads of a <see cref="ConfigEntry"/>, failing with the entry's file:line when the value has another shape.</summary>
public static class ConfigEntryExtensions
{
    /// <summary>The text of a scalar value (a secure value must be read with <see cref="IStackConfig.GetSecret"/>).</summary>
    public static string AsString(this ConfigEntry entry) => entry.Value switch
    {
        _ when entry.IsSecure => throw Wrong(entry, "is a secret: read it with GetSecret"),
        YamlScalarNode s => s.Value ?? "",
        _ => throw Wrong(entry, "must be a string"),
    };

    public static int AsInt32(this ConfigEntry entry) =>
        int.TryParse(entry.AsString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : throw Wrong(entry, "must be an integer");

    public static bool AsBoolean(this ConfigEntry entry) => entry.AsString() switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => throw Wrong(entry, "must be true or false"),
    };

    /// <summary>The value as JSON; nested secure values are decrypted through <paramref name="secrets"/> (required if any).</summary>
    public static JsonNode? ToJson(this ConfigEntry entry, IStackConfig? secrets = null) =>
        YamlValue.ToJson(entry.Value, secrets is null ? null : secrets.Decrypt);

    private static ConfigException Wrong(ConfigEntry entry, string what) =>
        new(ConfigException.At(entry.File, entry.Line, $"configuration key '{entry.Key}' {what}"));
}
