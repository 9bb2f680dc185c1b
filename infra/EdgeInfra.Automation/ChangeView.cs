namespace EdgeInfra.Automation;

/// <summary>What one stack's preview or update changes, shaped for people and for <c>--json</c>.</summary>
/// <param name="Stack">The engine stack, e.g. <c>prod.canary</c>.</param>
/// <param name="Ring">The ring, or null for the base stack.</param>
/// <param name="Stores">How many stores the stack holds after the change.</param>
/// <param name="Releases">App releases the stack rolls out, e.g. <c>pos-app=2.4.1</c>.</param>
/// <param name="Rows">Changed resources only; store children are folded into their store's row.</param>
public sealed record StackChangeView(
    string Stack,
    string? Ring,
    int Stores,
    IReadOnlyList<string> Releases,
    IReadOnlyList<ChangeRow> Rows,
    IReadOnlyDictionary<string, int> Counts,
    int Unchanged)
{
    public bool HasChanges => Rows.Count > 0;

    /// <summary>True when a ring bundle changes: Fleet then rolls the change out to every store of the ring.</summary>
    public bool BundleChanges => Rows.Any(r => r.Store is null && r.Name.StartsWith("apps/", StringComparison.Ordinal));

    /// <summary>Stores whose own resources change (hub Cluster, device files, moves).</summary>
    public int StoresChanged => Rows.Count(r => r.Store is not null);

    /// <summary>Stores that end up receiving something: all of the ring when its bundle changes.</summary>
    public int StoresReached => BundleChanges ? Math.Max(Stores, StoresChanged) : StoresChanged;
}

/// <summary>One changed resource (or one store with all its changed children).</summary>
/// <param name="Op">The step: create, update, replace, delete, move, move-out.</param>
/// <param name="OtherStack">For moves, the stack the resource comes from or goes to.</param>
public sealed record ChangeRow(
    string Op,
    string Type,
    string Name,
    string Urn,
    string? Store,
    string? OtherStack,
    IReadOnlyList<PropertyChange> Diffs,
    IReadOnlyList<string> ReplaceReasons)
{
    /// <summary>Children folded into a store row (its Cluster and device files).</summary>
    public IReadOnlyList<ChangeRow> Children { get; init; } = [];
}

/// <summary>One property's change; secret values are never carried here, only masked.</summary>
public sealed record PropertyChange(string Key, string Kind, string? Old, string? New)
{
    /// <summary>The engine's diff (secret values already masked) in the view's vocabulary: add, update, delete.</summary>
    public static PropertyChange From(EdgeInfra.Engine.Resources.PropertyDiff d) => new(d.Key, d.Kind.ToString().ToLowerInvariant(), d.Old, d.New);
}

/// <summary>The step names and their Pulumi-style symbols.</summary>
public static class ChangeOps
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Replace = "replace";
    public const string Delete = "delete";
    public const string Move = "move";
    public const string MoveOut = "move-out";
    public const string Same = "same";

    public static readonly IReadOnlyList<string> Ordered = [Create, Update, Replace, Move, MoveOut, Delete];

    public static string Symbol(string op) => op switch
    {
        Create => "+",
        Update => "~",
        Replace => "+-",
        Delete => "-",
        Move => "->",
        MoveOut => "<-",
        _ => " ",
    };

    public static string Color(string op) => op switch
    {
        Create => "green",
        Update => "yellow",
        Replace => "fuchsia",
        Delete => "red",
        Move or MoveOut => "aqua",
        _ => "grey",
    };

    public static string SummaryVerb(string op) => op switch
    {
        Create => "to create",
        Update => "to update",
        Replace => "to replace",
        Delete => "to delete",
        Move => "to move in",
        MoveOut => "to move out",
        _ => op,
    };
}
