namespace EdgeInfra.Rollout.Notifications;

/// <summary>What the rollout host tells a channel: a one-line text plus the structured fields behind it.</summary>
/// <param name="Event"><c>hold</c>, <c>rollback</c>, <c>hold-timeout</c> or <c>completed</c>.</param>
public sealed record RolloutNotification(
    string Event,
    string Stack,
    string? Ring,
    string Release,
    string Text,
    string? Reason,
    IReadOnlyList<string> Stores,
    DateTimeOffset Time);

/// <summary>Delivers rollout notifications without ever blocking or failing the rollout.</summary>
public interface INotifier : IAsyncDisposable
{
    /// <summary>Queues the notification and returns at once.</summary>
    void Notify(RolloutNotification notification);

    /// <summary>Waits for queued deliveries, at most <paramref name="timeout"/>; never throws.</summary>
    Task DrainAsync(TimeSpan timeout);
}

/// <summary>The notifier of a stack without a webhook: notifications go nowhere.</summary>
public sealed class NoNotifier : INotifier
{
    public static readonly NoNotifier Instance = new();
    public void Notify(RolloutNotification notification) { }
    public Task DrainAsync(TimeSpan timeout) => Task.CompletedTask;
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
