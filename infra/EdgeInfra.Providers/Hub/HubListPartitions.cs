using System.Text.RegularExpressions;

namespace EdgeInfra.Providers.Hub;

/// <summary>Splits one Kubernetes list into disjoint label-selected lists that together hold exactly its objects, so
/// their pages can be fetched concurrently.</summary>
/// <remarks>
/// The pages of one list are strictly sequential: each request needs the previous page's continue token, and a Fleet
/// object list is an unstructured list, which the API server writes with sorted keys (<c>apiVersion</c>, <c>items</c>,
/// <c>kind</c>, <c>metadata</c>), so the token arrives only after the last item. Disjoint lists have no such chain.
/// The split is by the values of one label: groups of values as <c>key in (…)</c>, and one more list of everything else
/// (<c>key notin (…)</c>, which also matches objects without the label), so nothing is lost whatever values the hub
/// really holds. Each list is its own consistent snapshot; lists of different kinds never were one.
/// </remarks>
internal static partial class HubListPartitions
{
    /// <summary>At most this many value groups (plus the rest): enough to cut a 50,000-store fleet's longest chain of pages
    /// to a fifth, few enough that a hub's API priority and fairness sees one reader, not a crowd.</summary>
    public const int MaxGroups = 6;

    /// <summary>Past this many values the <c>notin</c> list's URL grows long; such a list is read whole.</summary>
    private const int MaxValues = 200;

    /// <summary>The selectors of the partitioned list: <paramref name="baseSelector"/> ANDed with each group of values of
    /// <paramref name="key"/> (balanced by weight, heaviest first) and with the rest; just the base selector when there is
    /// nothing to split (no values, too many, or a value that is not a valid label value).</summary>
    public static IReadOnlyList<string?> Selectors(string? baseSelector, string key, IReadOnlyDictionary<string, long> weights)
    {
        if (weights.Count == 0 || weights.Count > MaxValues || weights.Keys.Any(v => !LabelValue().IsMatch(v))) return [baseSelector];
        var groups = Enumerable.Range(0, Math.Min(MaxGroups, weights.Count)).Select(_ => (Weight: 0L, Values: new List<string>())).ToArray();
        // Longest-processing-time first: each value, heaviest first, joins the lightest group so far.
        foreach (var (value, weight) in weights.OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal))
        {
            var lightest = 0;
            for (var i = 1; i < groups.Length; i++)
                if (groups[i].Weight < groups[lightest].Weight) lightest = i;
            groups[lightest].Weight += Math.Max(1, weight);
            groups[lightest].Values.Add(value);
        }
        var prefix = string.IsNullOrEmpty(baseSelector) ? "" : baseSelector + ",";
        var all = string.Join(",", weights.Keys.Order(StringComparer.Ordinal));
        return
        [
            .. groups.Select(g => $"{prefix}{key} in ({string.Join(",", g.Values.Order(StringComparer.Ordinal))})"),
            $"{prefix}{key} notin ({all})",
        ];
    }

    /// <summary>A Kubernetes label value (63 characters at most, alphanumerics, '-', '_', '.').</summary>
    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])$")]
    private static partial Regex LabelValue();
}
