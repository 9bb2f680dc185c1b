using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Engine.Config;

/// <summary>One key of the typed <c>config:</c> schema in Pulumi.yaml.</summary>
/// <param name="Key">Fully namespaced key, e.g. <c>edge-infra:rings</c>.</param>
/// <param name="Type">Declared type (<c>string|integer|boolean|array|object</c>), or null when not explicitly typed.</param>
/// <param name="Items">Element type when <see cref="Type"/> is <c>array</c>.</param>
/// <param name="Default">Default applied when the stack does not set the key.</param>
/// <param name="Value">A fixed value (Pulumi's <c>value:</c>, required for keys outside the project namespace).</param>
/// <param name="Line">Line of the key in Pulumi.yaml, for error messages.</param>
public sealed record ConfigSchemaEntry(
    string Key,
    string? Type,
    ConfigItemsType? Items,
    YamlNode? Default,
    YamlNode? Value,
    bool Secret,
    string? Description,
    int Line)
{
    /// <summary>True when the stack must set the key: a project key with neither default nor value.</summary>
    public bool IsRequired(string project) =>
        Default is null && Value is null && ConfigKeys.IsInNamespace(Key, project);

    /// <summary>Pulumi's full type name (<c>array&lt;string&gt;</c>), or null when untyped.</summary>
    public string? FullTypeName => Type is null ? null : new ConfigItemsType(Type, Items).FullName;
}
