using System.Collections.Immutable;
using EdgeInfra.Components.Model;

namespace EdgeInfra.StackInputs.Inventory;

/// <summary>Builds stores with shared label strings: a 50,000-store inventory repeats a few hundred distinct values.</summary>
internal sealed class StoreFactory
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    public string Intern(string s)
    {
        if (_strings.TryGetValue(s, out var shared)) return shared;
        _strings[s] = s;
        return s;
    }

    public static Store Create(string id, List<KeyValuePair<string, string>> labels, SourceLocation location) =>
        new(id, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, labels), location);
}
