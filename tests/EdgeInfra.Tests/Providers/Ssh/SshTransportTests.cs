using EdgeInfra.Providers.Ssh;
using Microsoft.Extensions.Time.Testing;
using Renci.SshNet;

namespace EdgeInfra.Tests.Providers.Ssh;

/// <summary>Key exchange order, batched probe output splitting and SSH operation timings, without a server.</summary>
public sealed class SshTransportTests
{
    [Fact]
    public void Apply_SshNetDefaults_OffersMlKemThenX25519BeforeSntrup761AndKeepsEveryMethod()
    {
        var info = new ConnectionInfo("device.example.test", "root", new NoneAuthenticationMethod("root"));
        var before = info.KeyExchangeAlgorithms.Keys.Order(StringComparer.Ordinal).ToList();

        KeyExchangeOrder.Apply(info);

        var after = info.KeyExchangeAlgorithms.Keys.ToList();
        Assert.Equal(before, after.Order(StringComparer.Ordinal));
        Assert.Equal(KeyExchangeOrder.Preferred.Where(before.Contains), after.Take(KeyExchangeOrder.Preferred.Count(before.Contains)));
        Assert.Equal("mlkem768x25519-sha256", after[0]);
        Assert.True(after.IndexOf("curve25519-sha256") < after.IndexOf("sntrup761x25519-sha512"));
    }

    [Theory]
    [InlineData("a\n\nM:0\nb\nM:3\n", "a\n|0;b|3")]
    [InlineData("\nM:0\n\nM:0\n", "|0;|0")]
    [InlineData("no newline at end\nM:0\nline\n\nM:1\n", "no newline at end|0;line\n|1")]
    public void Split_BatchOutput_GivesEachProbeItsOutputAndStatus(string stdout, string expected)
    {
        var parts = DeviceCommandBatcher.Split(stdout, "M", 2);

        Assert.NotNull(parts);
        Assert.Equal(expected, string.Join(';', parts.Select(p => $"{p.Stdout}|{p.Status}")));
    }

    [Theory]
    [InlineData("a\nM:0\n")]
    [InlineData("a\nM:0\nb")]
    [InlineData("a\nM:0\nb\nM:x\n")]
    public void Split_BatchDiedMidway_IsNull(string stdout) => Assert.Null(DeviceCommandBatcher.Split(stdout, "M", 2));

    [Fact]
    public void Summary_TwoOverlappingOperations_CountsThemAndThePeakInFlight()
    {
        var clock = new FakeTimeProvider();
        var timings = new SshTimings(clock);
        timings.Started();
        clock.Advance(TimeSpan.FromMilliseconds(100));
        timings.Started();
        timings.Finished(new SshOperationTiming("store-a", "connect", "127.0.0.1:22", TimeSpan.Zero, TimeSpan.Zero, timings.Now,
            TimeSpan.FromMilliseconds(80), "curve25519-sha256"));
        clock.Advance(TimeSpan.FromMilliseconds(50));
        timings.Finished(new SshOperationTiming("store-b", "read", "/etc/x", TimeSpan.FromMilliseconds(90), TimeSpan.FromMilliseconds(100), timings.Now));

        var summary = timings.Summary();

        Assert.Equal(2, timings.MaxInFlight);
        Assert.Contains("2 operations on 2 devices in 150 ms, at most 2 in flight at once", summary);
        Assert.Contains("connect  ×1    took median 100 ms, max 100 ms; waited for a slot median 0 ms, max 0 ms; to host key median 80 ms, max 80 ms; key exchange curve25519-sha256", summary);
        Assert.Contains("read     ×1    took median 50 ms, max 50 ms; waited for a slot median 10 ms", summary);
        Assert.Equal(3, timings.Trace().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
