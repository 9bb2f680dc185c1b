using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeInfra.Components.Model;

namespace EdgeInfra.Components.Rendering;

/// <summary>Renders a ring's explicit Fleet <c>rolloutStrategy</c>, refusing values Fleet would get wrong silently.</summary>
public static partial class RolloutStrategyRenderer
{
    public static JsonObject Render(RingSpec ring, List<string> problems)
    {
        var strategy = new JsonObject
        {
            ["maxUnavailable"] = IntOrPercent(ring.MaxUnavailable, $"ring '{ring.Name}' maxUnavailable", ring.Location, problems, allowZero: false),
            ["maxUnavailablePartitions"] = ring.MaxUnavailablePartitions,
            ["autoPartitionSize"] = IntOrPercent(ring.AutoPartitionSize, $"ring '{ring.Name}' autoPartitionSize", ring.Location, problems, allowZero: false),
        };
        if (ring.MaxUnavailablePartitions < 0)
            problems.Add($"{ring.Location}: ring '{ring.Name}' maxUnavailablePartitions must be 0 or more, not {ring.MaxUnavailablePartitions}");
        return strategy;
    }

    /// <summary>"N%" stays a string, a plain integer becomes an integer; integer 0 is refused (it deadlocks Fleet updates).</summary>
    internal static JsonNode? IntOrPercent(string text, string what, SourceLocation location, List<string> problems, bool allowZero)
    {
        var t = text.Trim();
        if (PercentPattern().IsMatch(t)) return JsonValue.Create(t);
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            if (n == 0 && !allowZero)
                problems.Add($"{location}: {what} is integer 0, which deadlocks Fleet updates; use 1 or a percentage");
            return JsonValue.Create(n);
        }
        problems.Add($"{location}: {what} '{text}' must be a positive integer or a percentage like \"10%\"");
        return JsonValue.Create(t);
    }

    [GeneratedRegex(@"^[0-9]+%\z")]
    private static partial Regex PercentPattern();
}
