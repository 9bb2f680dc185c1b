using System.Collections.Immutable;
using EdgeInfra.Components.Model;
using EdgeInfra.Components.Rendering;
using EdgeInfra.Components.Text;

namespace EdgeInfra.StackInputs.Inventory;

/// <summary>Checks an inventory against the stack's rings and registry zones, and settles each store's ring.</summary>
/// <remarks>Per-store work is a handful of dictionary lookups: label syntax, time zones and windows are checked once
/// per distinct value.</remarks>
internal sealed class InventoryValidator
{
    /// <summary>Labels every store must carry (its ring is checked separately: it may come from a ring's store list).</summary>
    public static readonly IReadOnlyList<string> RequiredLabels = StoreLabels.All.Where(l => l != StoreLabels.RolloutRing).ToList();

    private const int MissingRingShown = 20;

    private readonly Dictionary<string, bool> _validKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _validValues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _validZones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _validWindows = new(StringComparer.Ordinal);
    private readonly bool _timeZonesKnown = TimeZoneInfo.TryFindSystemTimeZoneById("Europe/London", out _);

    /// <param name="explicitRings">Store id → (ring, where the ring lists it), from rings' <c>stores:</c> lists.</param>
    /// <param name="assignHint">What to tell the operator about unassigned stores (e.g. the rings-assign command).</param>
    public IReadOnlyList<Store> Validate(IReadOnlyList<Store> stores, IReadOnlyCollection<string> rings, IReadOnlyCollection<string> zones,
        IReadOnlyDictionary<string, (string Ring, SourceLocation Location)> explicitRings, string assignHint, List<string> problems)
    {
        var ringSet = rings.ToHashSet(StringComparer.Ordinal);
        var zoneSet = zones.ToHashSet(StringComparer.Ordinal);
        var ids = new Dictionary<string, SourceLocation>(stores.Count, StringComparer.Ordinal);
        var result = new List<Store>(stores.Count);
        var missingRing = new List<string>();
        foreach (var store in stores)
        {
            var at = store.Location;
            if (!ids.TryAdd(store.Id, at))
                problems.Add($"{at}: duplicate store id '{store.Id}' (first at {ids[store.Id]})");
            if (!DnsLabel.IsValid(store.Id))
                problems.Add($"{at}: store id '{PlainText.Visible(store.Id)}' must be a DNS-1123 label (lower-case alphanumerics and '-', at most 63 characters)");
            CheckLabels(store, problems);

            var labelled = store.Ring;
            var listed = explicitRings.TryGetValue(store.Id, out var e) ? e : default;
            if (labelled is not null && !ringSet.Contains(labelled))
                problems.Add($"{at}: store '{store.Id}' rollout-ring '{labelled}' names no ring (rings are: {string.Join(", ", rings)})");
            if (labelled is not null && listed.Ring is not null && listed.Ring != labelled)
                problems.Add($"{at}: store '{store.Id}' is in two rings: labelled rollout-ring '{labelled}' and listed by ring '{listed.Ring}' at {listed.Location}");
            if (labelled is null && listed.Ring is null) missingRing.Add($"{at}: store '{store.Id}' is in no ring");

            if (store.RegistryZone is { } zone && !zoneSet.Contains(zone))
                problems.Add($"{at}: store '{store.Id}' registry-zone '{zone}' is not a configured registry zone (zones are: {string.Join(", ", zones)})");
            result.Add(labelled is null && listed.Ring is not null
                ? store with { Labels = store.Labels.SetItem(StoreLabels.RolloutRing, listed.Ring) }
                : store);
        }
        if (missingRing.Count > 0)
        {
            // A freshly generated inventory has no rings at all: one line per store would bury everything else.
            problems.AddRange(missingRing.Take(MissingRingShown));
            var more = missingRing.Count > MissingRingShown ? $" ({missingRing.Count - MissingRingShown} more not listed)" : "";
            problems.Add($"{missingRing.Count} store(s) have no rollout-ring label{more}; {assignHint}");
        }
        foreach (var (id, (ring, location)) in explicitRings)
            if (!ids.ContainsKey(id)) problems.Add($"{location}: ring '{ring}' lists store '{id}', which is not in the inventory");
        return result;
    }

    /// <summary>Explicit ring lists, reporting a store listed by two rings.</summary>
    public static Dictionary<string, (string Ring, SourceLocation Location)> ExplicitRings(
        IEnumerable<(string Ring, string StoreId, SourceLocation Location)> listings, List<string> problems)
    {
        var map = new Dictionary<string, (string, SourceLocation)>(StringComparer.Ordinal);
        foreach (var (ring, id, location) in listings)
        {
            if (map.TryGetValue(id, out var first))
                problems.Add($"{location}: store '{id}' is in two rings: listed by ring '{first.Item1}' at {first.Item2} and by ring '{ring}'");
            else
                map[id] = (ring, location);
        }
        return map;
    }

    private void CheckLabels(Store store, List<string> problems)
    {
        var at = store.Location;
        foreach (var (k, v) in store.Labels)
        {
            if (!Cached(_validKeys, k, LabelRules.IsValidKey))
                problems.Add($"{at}: store '{store.Id}' label key '{PlainText.Visible(k)}' is not a valid Kubernetes label key");
            if (!Cached(_validValues, v, LabelRules.IsValidValue))
                problems.Add($"{at}: store '{store.Id}' label {PlainText.Visible(k)}='{PlainText.Visible(v)}' is not a valid Kubernetes label value (at most 63 of A-Z a-z 0-9 - _ . , starting and ending alphanumeric)");
        }
        foreach (var required in RequiredLabels)
            if (!store.Labels.ContainsKey(required))
                problems.Add($"{at}: store '{store.Id}' is missing required label '{required}'");
        if (_timeZonesKnown && store.Label(StoreLabels.Timezone) is { Length: > 0 } tz && !Cached(_validZones, tz, IsTimeZone))
            problems.Add($"{at}: store '{store.Id}' timezone '{tz}' is not an IANA time zone written with '.' for '/' (e.g. Europe.Budapest)");
        if (store.Label(StoreLabels.MaintenanceWindow) is { Length: > 0 } w && !Cached(_validWindows, w, IsWindow))
            problems.Add($"{at}: store '{store.Id}' maintenance-window '{w}' must be HH-HH or HHMM-HHMM in the store's local time (e.g. 02-05)");
    }

    private static bool Cached(Dictionary<string, bool> cache, string value, Func<string, bool> check)
    {
        if (cache.TryGetValue(value, out var ok)) return ok;
        return cache[value] = check(value);
    }

    /// <summary>
    /// The IANA zone ids the runtime lists (tzdata's zone table), not whatever file happens to exist under
    /// /usr/share/zoneinfo: <c>Europe//Budapest</c>, <c>posixrules</c> and <c>right/Europe/Budapest</c> all open a file
    /// there, and none of them is a zone a store can be in.
    /// </summary>
    private static readonly Lazy<HashSet<string>> IanaZones = new(() =>
        TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).ToHashSet(StringComparer.Ordinal));

    internal static bool IsTimeZone(string label) => IanaZones.Value.Contains(label.Replace('.', '/'));

    internal static bool IsWindow(string w)
    {
        var dash = w.IndexOf('-');
        if (dash < 0) return false;
        return IsTime(w[..dash]) && IsTime(w[(dash + 1)..]) && w[..dash].Length == w[(dash + 1)..].Length;

        static bool IsTime(string t) => t.All(char.IsAsciiDigit) && t.Length switch
        {
            2 => int.TryParse(t, out var h) && h is >= 0 and <= 24,
            4 => int.TryParse(t[..2], out var h) && int.TryParse(t[2..], out var m) && h is >= 0 and <= 24 && m is >= 0 and < 60 && (h < 24 || m == 0),
            _ => false,
        };
    }
}
