using System.Collections.Immutable;

namespace EdgeInfra.Engine.State;

/// <summary>One recorded run of a stack (update, refresh or destroy), numbered from 1 per stack.</summary>
/// <param name="Result">Null while the run is in progress, or when it crashed before recording its end.</param>
/// <param name="HasDesired">True when the run recorded a desired state that <c>LoadHistoryDesiredAsync</c> returns.</param>
public sealed record HistoryEntry(
    int Version,
    UpdateKind Kind,
    DateTimeOffset Started,
    string Actor,
    string Message,
    string? SourceCommit,
    bool HasDesired,
    UpdateResultKind? Result,
    DateTimeOffset? Ended,
    ImmutableSortedDictionary<string, int> Changes,
    ImmutableSortedDictionary<string, string> Revisions);

/// <summary>The kind of a recorded run.</summary>
public enum UpdateKind { Update, Refresh, Destroy }

/// <summary>How a recorded run ended.</summary>
public enum UpdateResultKind { Succeeded, Failed }

/// <summary>What a run records when it starts.</summary>
public sealed record HistoryStart(UpdateKind Kind, DateTimeOffset Started, string Actor, string Message, string? SourceCommit);

/// <summary>What a run records when it ends.</summary>
public sealed record HistoryEnd(UpdateResultKind Result, DateTimeOffset Ended,
    IReadOnlyDictionary<string, int> Changes, IReadOnlyDictionary<string, string> Revisions);
