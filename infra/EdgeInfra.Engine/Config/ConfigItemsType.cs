namespace EdgeInfra.Engine.Config;

/// <summary>The element type of an <c>array</c> config key (<c>items:</c> in Pulumi.yaml), possibly nested.</summary>
public sealed record ConfigItemsType(string Type, ConfigItemsType? Items)
{
    /// <summary>Pulumi's full type name, e.g. <c>array&lt;string&gt;</c> for an array of strings.</summary>
    public string FullName => Items is null ? Type : $"array<{Items.FullName}>";
}
