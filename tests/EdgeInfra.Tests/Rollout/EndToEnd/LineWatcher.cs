namespace EdgeInfra.Tests.Rollout.EndToEnd;

/// <summary>Collects what the rollout prints and signals the first line that contains every fragment.</summary>
internal sealed class LineWatcher(params string[] fragments) : StringWriter
{
    private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Seen => _seen.Task;

    public override void WriteLine(string? value)
    {
        lock (this) base.WriteLine(value);
        if (value is not null && fragments.All(f => value.Contains(f, StringComparison.Ordinal))) _seen.TrySetResult();
    }

    public override string ToString()
    {
        lock (this) return base.ToString();
    }
}
