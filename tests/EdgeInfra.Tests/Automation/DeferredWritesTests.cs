using EdgeInfra.Automation;

namespace EdgeInfra.Tests.Automation;

public sealed class DeferredWritesTests
{
    [Fact]
    public void CommitHeld_HostStarted_RunsTheInvocationsHeldWritesOnceAndLetsGoOfThem()
    {
        var runs = new List<string>();
        using var invocation = DeferredWrites.Begin();
        DeferredWrites.Add(() => runs.Add("start-up load"));
        using (var host = DeferredWrites.Immediate())
        {
            DeferredWrites.Add(() => runs.Add("request"));
            Assert.Equal(["request"], runs);

            host.CommitHeld();
            Assert.Equal(["request", "start-up load"], runs);
        }
        invocation.Commit();

        Assert.Equal(["request", "start-up load"], runs);
    }
}
