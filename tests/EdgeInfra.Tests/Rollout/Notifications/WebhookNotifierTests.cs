using EdgeInfra.Tests.Fixtures;
using System.Net;
using System.Text.Json.Nodes;
using EdgeInfra.Rollout.Notifications;

namespace EdgeInfra.Tests.Rollout.Notifications;

public sealed class WebhookNotifierTests
{
    private static readonly RolloutNotification Rollback = new("rollback", "prod", "early", "pos-app=2.5.0",
        ":rewind: prod: pos-app=2.5.0 rolled back (error rate 4% > 1%)", "error rate 4% > 1%", ["store-a", "store-b"],
        new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    /// <summary>A loopback webhook receiver that answers the first <paramref name="failures"/> posts with 500.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;
        private int _failures;

        public Receiver(int failures)
        {
            _failures = failures;
            var port = LoopbackPort.Free();
            Url = new Uri($"http://127.0.0.1:{port}/hooks/T000/B000/secret-token/");
            _listener.Prefixes.Add(Url.ToString());
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public Uri Url { get; }
        public List<JsonObject> Received { get; } = [];
        public int Attempts { get; private set; }
        public TaskCompletionSource Delivered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext ctx;
                try { ctx = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                Attempts++;
                using var reader = new StreamReader(ctx.Request.InputStream);
                var body = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
                if (_failures-- > 0) ctx.Response.StatusCode = 500;
                else
                {
                    lock (Received) Received.Add(body);
                    ctx.Response.StatusCode = 200;
                    Delivered.TrySetResult();
                }
                ctx.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
        }
    }

    [Fact]
    public async Task Notify_ServerFailsTwiceThenAccepts_DeliveredOnceWithTextAndFields()
    {
        using var receiver = new Receiver(failures: 2);
        var failures = new List<string>();
        await using var notifier = new WebhookNotifier(receiver.Url, failures.Add, retryDelay: TimeSpan.FromMilliseconds(20));

        notifier.Notify(Rollback);
        await receiver.Delivered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await notifier.DrainAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(3, receiver.Attempts);
        var body = Assert.Single(receiver.Received);
        Assert.Equal(Rollback.Text, (string?)body["text"]);
        Assert.Equal("rollback", (string?)body["event"]);
        Assert.Equal("early", (string?)body["ring"]);
        Assert.Equal(2, (int?)body["storeCount"]);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Notify_EndpointDown_NeverThrowsNeverBlocksAndNamesNoUrl()
    {
        var url = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/hooks/secret-token");
        var failures = new List<string>();
        await using var notifier = new WebhookNotifier(url, failures.Add, retries: 2, retryDelay: TimeSpan.FromMilliseconds(10));

        var started = System.Diagnostics.Stopwatch.StartNew();
        notifier.Notify(Rollback);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(1), "Notify blocked on the delivery");
        await notifier.DrainAsync(TimeSpan.FromSeconds(20));

        var failure = Assert.Single(failures);
        Assert.Contains("rollback", failure);
        Assert.DoesNotContain("secret-token", failure);
        Assert.DoesNotContain("127.0.0.1", failure);
    }
}
