using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using EdgeInfra.Components.Model;

namespace EdgeInfra.StackInputs.Inventory;

/// <summary>Generates realistic store inventories (a European and North American chain) for benchmarks and examples.</summary>
/// <remarks>Stores carry every label but <c>rollout-ring</c>: <c>edgeinfra rings assign</c> fills that in.
/// The same count and seed always give the same inventory.</remarks>
public static class InventoryGenerator
{
    private sealed record Country(string Code, string Region, string Zone, int Weight, string[] Timezones);

    private static readonly Country[] Countries =
    [
        new("hu", "central-europe", "eu-central", 9, ["Europe.Budapest"]),
        new("cz", "central-europe", "eu-central", 7, ["Europe.Prague"]),
        new("at", "central-europe", "eu-central", 6, ["Europe.Vienna"]),
        new("pl", "central-europe", "eu-central", 10, ["Europe.Warsaw"]),
        new("de", "central-europe", "eu-central", 14, ["Europe.Berlin"]),
        new("pt", "western-europe", "eu-west", 6, ["Europe.Lisbon", "Atlantic.Azores"]),
        new("es", "western-europe", "eu-west", 10, ["Europe.Madrid", "Atlantic.Canary"]),
        new("fr", "western-europe", "eu-west", 11, ["Europe.Paris"]),
        new("se", "northern-europe", "eu-north", 4, ["Europe.Stockholm"]),
        new("dk", "northern-europe", "eu-north", 3, ["Europe.Copenhagen"]),
        new("fi", "northern-europe", "eu-north", 3, ["Europe.Helsinki"]),
        new("us", "north-america", "na-east", 12, ["America.New_York", "America.Chicago", "America.Denver", "America.Los_Angeles"]),
        new("ca", "north-america", "na-east", 5, ["America.Toronto", "America.Vancouver"]),
    ];

    // Format → (weight, traffic tiers, hardware class).
    private static readonly (string Format, int Weight, string[] Traffic, string Hardware)[] Formats =
    [
        ("hypermarket", 10, ["high", "high", "medium"], "edge-large"),
        ("supermarket", 40, ["high", "medium", "medium", "low"], "edge-medium"),
        ("express", 35, ["medium", "low", "low"], "edge-small"),
        ("fuel-station", 15, ["low", "low", "medium"], "edge-small"),
    ];

    private static readonly (string Tier, int Weight)[] Networks = [("fiber", 55), ("dsl", 22), ("lte", 16), ("satellite", 7)];

    private static readonly string[] Windows = ["01-04", "02-05", "03-06", "22-01", "23-02"];

    public static IReadOnlyList<Store> Generate(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(seed);
        var perCountry = new Dictionary<string, int>(StringComparer.Ordinal);
        var stores = new List<Store>(count);
        for (var i = 0; i < count; i++)
        {
            var country = Pick(random, Countries, c => c.Weight);
            var n = perCountry[country.Code] = perCountry.GetValueOrDefault(country.Code) + 1;
            var site = $"{country.Code}-{n.ToString("D4", CultureInfo.InvariantCulture)}";
            var format = Pick(random, Formats, f => f.Weight);
            var network = Pick(random, Networks, t => t.Weight).Tier;
            // Small formats on slow links get the small box; hypermarkets never sit on satellite.
            if (format.Format == "hypermarket" && network == "satellite") network = "lte";
            var labels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [StoreLabels.SiteId] = site,
                [StoreLabels.Region] = country.Region,
                [StoreLabels.Country] = country.Code,
                [StoreLabels.StoreFormat] = format.Format,
                [StoreLabels.TrafficTier] = format.Traffic[random.Next(format.Traffic.Length)],
                [StoreLabels.NetworkTier] = network,
                [StoreLabels.HardwareClass] = format.Hardware,
                [StoreLabels.MaintenanceWindow] = Windows[random.Next(Windows.Length)],
                [StoreLabels.RegistryZone] = country.Zone,
                [StoreLabels.Timezone] = country.Timezones[random.Next(country.Timezones.Length)],
            };
            stores.Add(new Store($"store-{site}", ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, labels), SourceLocation.Unknown));
        }
        return stores;
    }

    /// <summary>The registry zones generated stores use.</summary>
    public static IReadOnlyList<string> Zones { get; } = Countries.Select(c => c.Zone).Distinct().ToList();

    /// <summary>The inventory as <c>stores.yaml</c> text: labels in the standard order, one per line.</summary>
    /// <param name="header">Comment lines put at the top (without <c>#</c>).</param>
    public static string ToYaml(IEnumerable<Store> stores, IEnumerable<string>? header = null)
    {
        var sb = new StringBuilder();
        foreach (var line in header ?? []) sb.Append("# ").Append(line).Append('\n');
        sb.Append("stores:\n");
        foreach (var store in stores)
        {
            sb.Append("  - id: ").Append(Scalar(store.Id)).Append('\n');
            sb.Append("    labels:\n");
            foreach (var key in StoreLabels.All.Where(store.Labels.ContainsKey).Concat(store.Labels.Keys.Except(StoreLabels.All)))
                sb.Append("      ").Append(Scalar(key)).Append(": ").Append(Scalar(store.Labels[key])).Append('\n');
        }
        return sb.ToString();
    }

    public static void WriteYaml(string path, IEnumerable<Store> stores, IEnumerable<string>? header = null) =>
        File.WriteAllText(path, ToYaml(stores, header), new UTF8Encoding(false));

    /// <summary>Quotes values a YAML reader would otherwise take as numbers, booleans or null.</summary>
    private static string Scalar(string value)
    {
        var plain = value.Length > 0 && !value.Any(c => c is ':' or '#' or '"' or '\'' or ' ' or ',' or '[' or ']' or '{' or '}')
            && !value.All(c => char.IsAsciiDigit(c) || c is '.' or '-' or '+' or '_')
            && value is not ("true" or "false" or "null" or "yes" or "no" or "on" or "off" or "~")
            && value[0] is not ('-' or '*' or '&' or '!' or '|' or '>' or '%' or '@' or '`' or '?');
        return plain ? value : $"\"{value.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items, Func<T, int> weight)
    {
        var total = items.Sum(weight);
        var roll = random.Next(total);
        foreach (var item in items)
        {
            roll -= weight(item);
            if (roll < 0) return item;
        }
        return items[^1];
    }
}
