using System.Collections.Immutable;

namespace EdgeInfra.Rollout.Policy;

/// <summary>A release as the rollout host tracks it: app → version, written <c>app=version</c> and compared as a set.</summary>
public sealed record ReleaseSet(ImmutableSortedDictionary<string, string> Versions)
{
    public static ReleaseSet From(IEnumerable<KeyValuePair<string, string>> versions) =>
        new(versions.ToImmutableSortedDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal));

    /// <summary>Each app as <c>app=version</c>, in app order.</summary>
    public IReadOnlyList<string> Items => [.. Versions.Select(v => Item(v.Key, v.Value))];

    /// <summary>The whole release in one string (<c>pos-app=2.5.0,store-baseline=1.0.0</c>), used as its identity.</summary>
    public string Key => string.Join(",", Items);

    public override string ToString() => Key;

    /// <summary>The items of this release that <paramref name="other"/> does not have: what moving from it changes.</summary>
    public IReadOnlyList<string> ChangedFrom(ReleaseSet? other) =>
        other is null ? Items : [.. Versions.Where(v => other.Versions.GetValueOrDefault(v.Key) != v.Value).Select(v => Item(v.Key, v.Value))];

    /// <summary>Parses a <see cref="Key"/> back into a release; items not of the form <c>app=version</c> are skipped.</summary>
    public static ReleaseSet Parse(string key) =>
        From(key.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ParseItem).OfType<(string App, string Version)>().Select(i => KeyValuePair.Create(i.App, i.Version)));

    public static string Item(string app, string version) => $"{app}={version}";

    /// <summary>Parses <c>app=version</c>; null when it is not of that form.</summary>
    public static (string App, string Version)? ParseItem(string item)
    {
        var eq = item.IndexOf('=', StringComparison.Ordinal);
        return eq <= 0 || eq == item.Length - 1 ? null : (item[..eq].Trim(), item[(eq + 1)..].Trim());
    }

    public bool Equals(ReleaseSet? other) => other is not null && Key == other.Key;
    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);
}
