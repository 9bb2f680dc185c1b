using System.Globalization;

namespace EdgeInfra.Lab.FleetRules;

/// <summary>Fleet's <c>limit()</c> (<c>internal/cmd/controller/target/status.go</c>): resolves an int-or-percent budget against a count.</summary>
public static class FleetLimit
{
    /// <summary>Fleet's default for a missing value: <c>defLimit = "100%"</c>, so the defaults never hold a rollout back.</summary>
    public static readonly IntOrPercent DefaultLimit = IntOrPercent.FromString("100%");

    /// <summary>The budget for <paramref name="count"/> items from the first non-null value (else 100%).</summary>
    /// <remarks>A count of 0 or less gives 1. Integers are capped at <paramref name="count"/> and never negative, so
    /// integer 0 stays 0 (the deadlock of <c>maxUnavailable: 0</c>). Percentages round down but never below 1, so
    /// <c>"0%"</c> and <c>"10%"</c> of 5 both give 1. A string that is a plain integer counts as that integer, uncapped.</remarks>
    /// <exception cref="FleetReconcileException">The value is a string that is neither an integer nor a percentage.</exception>
    public static int Limit(int count, params IntOrPercent?[] values)
    {
        if (count <= 0) return 1;
        var value = DefaultLimit;
        foreach (var candidate in values ?? [])
        {
            if (candidate is { } v)
            {
                value = v;
                break;
            }
        }

        if (value.IsInt) return Math.Clamp(value.IntValue, 0, count);

        var text = value.StringValue ?? "";
        // intstr's IntValue() is strconv.Atoi on the string form: "5" means 5, and limit() returns it as it is, not capped
        // at count as an integer is (status.go:121-123 at v0.16.1).
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var asInt) && asInt > 0)
            return asInt;

        if (!text.EndsWith('%'))
            throw new FleetReconcileException($"invalid maxUnavailable, must be int or percentage (ending with %): {text}");

        var number = text[..^1];
        if (!GoFloat.TryParse(number, out var percent))
            throw new FleetReconcileException($"failed to parse {text}: strconv.ParseFloat: parsing \"{number}\": invalid syntax");

        if (percent <= 0) return 1;
        var scaled = (double)count * percent;
        // Go converts float64 to int by truncation towards zero, then divides by 100 with integer division.
        var i = scaled >= int.MaxValue ? int.MaxValue : (int)scaled;
        i /= 100;
        if (i <= 0) return 1;
        return Math.Min(i, count);
    }

    /// <summary>Go's <c>strconv.ParseFloat(s, 64)</c> for the decimal forms Fleet users write.</summary>
    private static class GoFloat
    {
        public static bool TryParse(string s, out double value)
        {
            value = 0;
            if (s.Length == 0 || s.Trim() != s) return false;
            return double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out value);
        }
    }
}
