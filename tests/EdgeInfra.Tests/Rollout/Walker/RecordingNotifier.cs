using EdgeInfra.Rollout.Notifications;

namespace EdgeInfra.Tests.Rollout.Walker;

/// <summary>A notifier that keeps what the walker told it.</summary>
internal sealed class RecordingNotifier : INotifier
{
    public List<RolloutNotification> Sent { get; } = [];
    public int Drains { get; private set; }

    public void Notify(RolloutNotification notification)
    {
        lock (Sent) Sent.Add(notification);
    }

    public Task DrainAsync(TimeSpan timeout)
    {
        Drains++;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
