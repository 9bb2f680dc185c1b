using System.Security.Cryptography;
using System.Text;

namespace EdgeInfra.Providers.Ssh;

/// <summary>Runs the read-only probes of one device (file reads, <c>k3s --version</c>, file hashes) as few commands as
/// possible: probes asked for while the device's session is being opened, or while its previous batch runs, go to the
/// device together as one command.</summary>
/// <remarks>
/// A refresh reads every resource of a store at about the same moment (the engine reads resources concurrently), so a
/// store's five probes cost one SSH command instead of five: on the device every command is a channel, a fork of sshd
/// and a login shell, which is most of what a refresh of many stores costs. Each probe runs in its own subshell; after
/// it the batch prints a line with a random per-batch marker and the probe's exit status, which splits the output
/// again. A batch of one is sent as it is. A failure to connect or a dropped session fails every probe of the batch.
/// </remarks>
internal sealed class DeviceProbeBatcher(Func<CancellationToken, Task<SshDeviceConnection>> connect)
{
    private readonly Lock _gate = new();
    private List<Probe> _queued = [];
    private bool _sending;

    /// <summary>Runs <paramref name="script"/> on the device (in a batch); the connection it ran on comes back with the result.</summary>
    public Task<(SshDeviceConnection Device, DeviceCommandResult Result)> RunAsync(string kind, string what, string script, CancellationToken ct)
    {
        var probe = new Probe(kind, what, script, new(TaskCreationOptions.RunContinuationsAsynchronously));
        bool send;
        lock (_gate)
        {
            _queued.Add(probe);
            send = !_sending;
            _sending = true;
        }
        if (send) _ = SendAsync(ct);
        return probe.Done.Task;
    }

    private async Task SendAsync(CancellationToken ct)
    {
        while (true)
        {
            SshDeviceConnection? device = null;
            Exception? failure = null;
            try { device = await connect(ct); }
            catch (Exception e) { failure = e; }
            List<Probe> batch;
            lock (_gate)
            {
                if (_queued.Count == 0)
                {
                    _sending = false;
                    return;
                }
                batch = _queued;
                _queued = [];
            }
            if (failure is not null || device is null)
            {
                foreach (var p in batch) p.Done.TrySetException(failure!);
                continue;
            }
            try
            {
                if (batch.Count == 1)
                {
                    var p = batch[0];
                    p.Done.TrySetResult((device, await device.RunAsync(p.Kind, p.What, p.Script, null, ct)));
                    continue;
                }
                var marker = "edgeinfra-probe-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                var script = new StringBuilder();
                foreach (var p in batch) script.Append("( ").Append(p.Script).Append(" ); printf '\\n").Append(marker).Append(":%d\\n' $?; ");
                var result = await device.RunAsync("probes", string.Join(", ", batch.Select(p => p.What)), script.ToString(), null, ct);
                var parts = Split(result.Stdout, marker, batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(parts is null
                        ? (device, new DeviceCommandResult(result.ExitStatus == 0 ? -1 : result.ExitStatus, "", result.Stderr + "\n(the batched probe ended early)"))
                        : (device, new DeviceCommandResult(parts[i].Status, parts[i].Stdout, parts[i].Status == 0 ? "" : result.Stderr)));
                }
            }
            catch (Exception e)
            {
                foreach (var p in batch) p.Done.TrySetException(e);
            }
        }
    }

    /// <summary>The output of each probe and its exit status, or null when a marker is missing (the batch died midway).</summary>
    internal static List<(string Stdout, int Status)>? Split(string stdout, string marker, int count)
    {
        var parts = new List<(string, int)>(count);
        var at = 0;
        var tag = "\n" + marker + ":";
        for (var i = 0; i < count; i++)
        {
            var found = stdout.IndexOf(tag, at, StringComparison.Ordinal);
            if (found < 0) return null;
            var end = stdout.IndexOf('\n', found + tag.Length);
            if (end < 0 || !int.TryParse(stdout.AsSpan(found + tag.Length, end - found - tag.Length), out var status)) return null;
            parts.Add((stdout[at..found], status));
            at = end + 1;
        }
        return parts;
    }

    private sealed record Probe(string Kind, string What, string Script, TaskCompletionSource<(SshDeviceConnection, DeviceCommandResult)> Done);
}
