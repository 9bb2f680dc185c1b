using System.Globalization;

namespace EdgeInfra.Lab.FleetRules;

/// <summary>A Kubernetes <c>intstr.IntOrString</c> as Fleet's rollout fields hold it: an integer, or a string such as <c>"25%"</c>.</summary>
/// <remarks>The string form is kept verbatim so that values Fleet rejects (for example <c>"ten"</c>) fail in
/// <see cref="FleetLimit.Limit"/>, inside the reconcile, exactly where Fleet fails.</remarks>
public readonly record struct IntOrPercent
{
    private IntOrPercent(bool isInt, int intValue, string? stringValue)
    {
        IsInt = isInt;
        IntValue = intValue;
        StringValue = stringValue;
    }

    /// <summary>True for the integer form (<c>intstr.Int</c>).</summary>
    public bool IsInt { get; }

    /// <summary>The integer value; 0 for the string form.</summary>
    public int IntValue { get; }

    /// <summary>The string value (usually <c>"N%"</c>); null for the integer form.</summary>
    public string? StringValue { get; }

    public static IntOrPercent FromInt(int value) => new(true, value, null);

    public static IntOrPercent FromString(string value) => new(false, 0, value);

    /// <summary>Shorthand for <c>FromString($"{percent}%")</c>.</summary>
    public static IntOrPercent Percent(int percent) => FromString(percent.ToString(CultureInfo.InvariantCulture) + "%");

    public static implicit operator IntOrPercent(int value) => FromInt(value);

    public static implicit operator IntOrPercent(string value) => FromString(value);

    public override string ToString() => IsInt ? IntValue.ToString(CultureInfo.InvariantCulture) : StringValue ?? "";
}
