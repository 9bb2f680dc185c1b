using EdgeInfra.Components.Resources;
using EdgeInfra.Engine.Planning;
using EdgeInfra.Engine.Resources;

namespace EdgeInfra.Automation;

/// <summary>Shapes an engine plan into the view people read: one row per changed hub file or bundle, one per store.</summary>
internal static class ChangeViews
{
    public static StackChangeView From(Plan plan, DesiredStack? desired, string? ring)
    {
        var releases = desired is null ? [] : StackOutputs.Releases(desired);
        var stores = desired is null ? 0 : StackOutputs.Stores(desired);

        var rows = new List<ChangeRow>();
        var storeRows = new Dictionary<string, (ChangeRow? Own, List<ChangeRow> Children)>(StringComparer.Ordinal);
        foreach (var step in plan.Steps)
        {
            if (step.Op == StepOp.Same) continue;
            var row = Row(step);
            if (row.Store is null) { rows.Add(row); continue; }
            if (!storeRows.TryGetValue(row.Store, out var group)) storeRows[row.Store] = group = (null, []);
            if (row.Type == FleetResourceTypes.Store) storeRows[row.Store] = (row, group.Children);
            else group.Children.Add(row);
        }
        foreach (var (store, (own, children)) in storeRows.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var head = own ?? new ChangeRow(children.Count > 0 && children.All(c => c.Op == children[0].Op) ? children[0].Op : ChangeOps.Update,
                FleetResourceTypes.Store, store, "", store, null, [], []);
            rows.Add(head with { Children = children });
        }

        var counts = plan.Counts.ToDictionary(c => OpName(c.Key), c => c.Value, StringComparer.Ordinal);
        return new StackChangeView(plan.Stack, ring, stores, releases, rows, counts, counts.GetValueOrDefault(ChangeOps.Same));
    }

    private static ChangeRow Row(PlanStep step)
    {
        var tags = step.New?.Tags ?? step.Old?.Tags;
        var store = tags?.GetValueOrDefault(FleetResourceKeys.StoreTag);
        var diffs = step.Diffs.Select(PropertyChange.From).ToList();
        return new ChangeRow(OpName(step.Op), step.Urn.Type, step.Urn.Name, step.Urn.Value, store, step.OtherStack, diffs, [.. step.ReplaceReasons]);
    }

    public static string OpName(StepOp op) => op switch
    {
        StepOp.Same => ChangeOps.Same,
        StepOp.Create => ChangeOps.Create,
        StepOp.Update => ChangeOps.Update,
        StepOp.Replace => ChangeOps.Replace,
        StepOp.Delete => ChangeOps.Delete,
        StepOp.Move => ChangeOps.Move,
        StepOp.MoveOut => ChangeOps.MoveOut,
        _ => op.ToString().ToLowerInvariant(),
    };
}
