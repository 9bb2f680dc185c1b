using System.Text.Json.Nodes;

namespace EdgeInfra.Components.Model;

/// <summary>Which layer an override sits in; more specific layers win.</summary>
public enum OverrideScope { Baseline = 0, Region = 1, Site = 2 }

/// <summary>A layered change to an app's values, owned by someone and optionally expiring.</summary>
/// <param name="Match">The region name (Region scope) or store id (Site scope); null for Baseline.</param>
public sealed record OverrideSpec(
    string Name,
    string App,
    OverrideScope Scope,
    string? Match,
    JsonObject Values,
    string Owner,
    DateOnly? Expires,
    SourceLocation Location);
