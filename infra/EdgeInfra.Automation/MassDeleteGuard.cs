using System.Globalization;
using EdgeInfra.Engine;
using YamlDotNet.RepresentationModel;

namespace EdgeInfra.Automation;

/// <summary>Refuses a run that would delete more than a configured share of the fleet's stores unless the operator
/// says so with <see cref="Flag"/>.</summary>
/// <remarks>An inventory emptied by a bad merge (<c>stores: []</c>) or a filter gone wrong otherwise deletes every
/// Cluster file in one commit; Pulumi and Terraform users ask for the same guard. The share is of the stores the fleet
/// had before the run: the stores it has after, plus those the run deletes, less those it creates.</remarks>
internal static class MassDeleteGuard
{
    public const string Flag = "--allow-mass-delete";
    public const string ConfigKey = "edge-infra:maxDeletePercent";
    public const int DefaultPercent = 10;

    /// <summary>Throws <see cref="InputException"/> (exit 2) when the views delete too many stores and <paramref name="allowed"/> is false.</summary>
    public static void Check(FleetWorkspace ws, IEnumerable<StackChangeView> views, bool allowed)
    {
        var list = views.ToList();
        var deleted = list.Sum(v => v.Rows.Count(r => r.Store is not null && r.Op == ChangeOps.Delete));
        if (deleted == 0 || allowed) return;
        var created = list.Sum(v => v.Rows.Count(r => r.Store is not null && r.Op == ChangeOps.Create));
        var before = Math.Max(1, ws.Model.Stores.Length + deleted - created);
        var percent = MaxPercent(ws);
        if (deleted * 100.0 / before <= percent) return;
        throw new InputException(
            $"this run would delete {deleted} of the fleet's {before} stores ({deleted * 100.0 / before:0.#} %), more than " +
            $"{ConfigKey} allows ({percent} %); check the inventory, or rerun with {Flag} if that is intended");
    }

    private static double MaxPercent(FleetWorkspace ws)
    {
        if (ws.Config.Get(ConfigKey) is not { } entry) return DefaultPercent;
        if (entry.Value is YamlScalarNode { Value: { } text }
            && double.TryParse(text.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 100)
            return p;
        throw new InputException($"{entry.File}:{entry.Line}: {ConfigKey} must be a percentage from 0 to 100");
    }
}
