using Renci.SshNet;

namespace EdgeInfra.Providers.Ssh;

/// <summary>What one command on a device returned.</summary>
public sealed record DeviceCommandResult(int ExitStatus, string Stdout, string Stderr);

/// <summary>One open SSH session to a store's device, shared by every operation on that device during a run.</summary>
/// <remarks>Commands run as separate channels of the one session, each counted against the provider-wide concurrency limit.</remarks>
internal sealed class SshDeviceConnection(SshEndpoint endpoint, SshClient client, string hostKey, SemaphoreSlim gate, TimeSpan commandTimeout,
    SshTimings timings)
    : IDisposable
{
    public SshEndpoint Endpoint => endpoint;

    /// <summary>The SHA-256 fingerprint the device presented (<c>SHA256:…</c>), as verified on connect.</summary>
    public string HostKey => hostKey;

    /// <summary>Runs <paramref name="command"/> (a shell command line; quote its arguments with <see cref="ShellQuote"/>),
    /// feeding it <paramref name="stdin"/> when given. Throws <see cref="DeviceUnreachableException"/> when the session drops.</summary>
    /// <param name="kind">What sort of command it is, for <see cref="SshTimings"/> ("write", "read", "probe", …).</param>
    /// <param name="what">What it works on (a path), for <see cref="SshTimings"/>.</param>
    public async Task<DeviceCommandResult> RunAsync(string kind, string what, string command, Stream? stdin, CancellationToken ct)
    {
        var queued = timings.Now;
        await gate.WaitAsync(ct);
        var started = timings.Now;
        timings.Started();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(commandTimeout);
            using var cmd = client.CreateCommand(command);
            try
            {
                var execution = cmd.ExecuteAsync(timeout.Token);
                if (stdin is not null)
                {
                    await using var input = cmd.CreateInputStream();
                    await stdin.CopyToAsync(input, timeout.Token);
                }
                await execution;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"store '{endpoint.Store}': a command did not finish within {commandTimeout.TotalSeconds:0} s");
            }
            catch (Exception e) when (e is Renci.SshNet.Common.SshConnectionException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                throw new DeviceUnreachableException(endpoint, $"the connection dropped: {e.Message}", e);
            }
            return new DeviceCommandResult(cmd.ExitStatus ?? -1, cmd.Result, cmd.Error);
        }
        finally
        {
            timings.Finished(new SshOperationTiming(endpoint.Store, kind, what, queued, started, timings.Now));
            gate.Release();
        }
    }

    public void Dispose()
    {
        try { client.Disconnect(); }
        catch (Exception e) when (e is Renci.SshNet.Common.SshException or System.Net.Sockets.SocketException or ObjectDisposedException) { }
        client.Dispose();
    }
}
