using System.Collections;

namespace EdgeInfra.Engine.Resources;

/// <summary>An immutable, ordinal-sorted map of resource property names to string values.</summary>
/// <remarks>
/// Properties are flat strings on purpose: every EdgeInfra provider deals in rendered files and labels, and flat
/// strings keep diffing, hashing and state (de)serialisation cheap at 10,000+ stores. Nested values use dotted keys
/// (<c>labels.region</c>).
/// </remarks>
public sealed class PropertyMap : IReadOnlyDictionary<string, string>, IEquatable<PropertyMap>
{
    private readonly KeyValuePair<string, string>[] _items; // sorted by key, ordinal

    public static readonly PropertyMap Empty = new([]);

    private PropertyMap(KeyValuePair<string, string>[] sortedItems) => _items = sortedItems;

    public static PropertyMap From(IEnumerable<KeyValuePair<string, string>> items)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in items) sorted[k] = v;
        return new PropertyMap([.. sorted]);
    }

    /// <summary>Wraps items that are usually already in ordinal key order (as state files store them) without re-sorting.</summary>
    internal static PropertyMap FromOrdered(List<KeyValuePair<string, string>> items)
    {
        for (var i = 1; i < items.Count; i++)
            if (string.CompareOrdinal(items[i - 1].Key, items[i].Key) >= 0) return From(items);
        return items.Count == 0 ? Empty : new PropertyMap([.. items]);
    }

    public static PropertyMap Of(params (string Key, string Value)[] items) =>
        From(items.Select(i => KeyValuePair.Create(i.Key, i.Value)));

    public PropertyMap With(string key, string value) =>
        From(_items.Where(i => i.Key != key).Append(KeyValuePair.Create(key, value)));

    public PropertyMap Without(string key) => From(_items.Where(i => i.Key != key));

    public int Count => _items.Length;
    public IEnumerable<string> Keys => _items.Select(i => i.Key);
    public IEnumerable<string> Values => _items.Select(i => i.Value);

    public string this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? _items[i].Value : null;
        return i >= 0;
    }

    public string? GetOrDefault(string key) => TryGetValue(key, out var v) ? v : null;

    private int IndexOf(string key)
    {
        int lo = 0, hi = _items.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = string.CompareOrdinal(_items[mid].Key, key);
            if (c == 0) return mid;
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
        return -1;
    }

    /// <summary>The property-level differences going from this map (old) to <paramref name="newer"/>.</summary>
    public IReadOnlyList<PropertyDiff> DiffTo(PropertyMap newer)
    {
        var diffs = new List<PropertyDiff>();
        int i = 0, j = 0;
        while (i < _items.Length || j < newer._items.Length)
        {
            var c = i >= _items.Length ? 1 : j >= newer._items.Length ? -1 : string.CompareOrdinal(_items[i].Key, newer._items[j].Key);
            if (c < 0) { diffs.Add(new(_items[i].Key, PropertyDiffKind.Delete, _items[i].Value, null)); i++; }
            else if (c > 0) { diffs.Add(new(newer._items[j].Key, PropertyDiffKind.Add, null, newer._items[j].Value)); j++; }
            else
            {
                if (!string.Equals(_items[i].Value, newer._items[j].Value, StringComparison.Ordinal))
                    diffs.Add(new(_items[i].Key, PropertyDiffKind.Update, _items[i].Value, newer._items[j].Value));
                i++; j++;
            }
        }
        return diffs;
    }

    public bool Equals(PropertyMap? other)
    {
        if (other is null || other._items.Length != _items.Length) return false;
        for (var i = 0; i < _items.Length; i++)
            if (!string.Equals(_items[i].Key, other._items[i].Key, StringComparison.Ordinal) ||
                !string.Equals(_items[i].Value, other._items[i].Value, StringComparison.Ordinal))
                return false;
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as PropertyMap);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var (k, v) in _items) { h.Add(k, StringComparer.Ordinal); h.Add(v, StringComparer.Ordinal); }
        return h.ToHashCode();
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>One property's change between two versions of a resource.</summary>
public sealed record PropertyDiff(string Key, PropertyDiffKind Kind, string? Old, string? New);

public enum PropertyDiffKind { Add, Update, Delete }
