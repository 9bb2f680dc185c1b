using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;

namespace EdgeInfra.Providers.Ssh;

/// <summary>Runs the small commands of one device (file reads and writes, <c>k3s --version</c>, file hashes) as few SSH
/// commands as possible: those asked for while the device's session is being opened, or while its previous batch runs,
/// go to the device together as one command.</summary>
/// <remarks>
/// The engine works on the resources of a store at about the same moment (a refresh reads them all; an up writes the
/// three K3s files together), so a store's five probes cost one SSH command instead of five, and its three file writes
/// one instead of three: on the device every command is a channel, a fork of sshd and a login shell, which is most of
/// what bootstrapping or refreshing many stores costs. Each command runs in its own subshell, its stdin the content it
/// was given (the batch's contents travel as one tar stream on the batch's stdin, unpacked into a private directory
/// that is removed afterwards) or <c>/dev/null</c>; after it the batch prints a line with a random per-batch marker and
/// the command's exit status, which splits the output again. A batch of one is sent as it is. A failure to connect or
/// a dropped session fails every command of the batch. Big uploads (the K3s install) do not belong here.
/// </remarks>
internal sealed class DeviceCommandBatcher(Func<CancellationToken, Task<SshDeviceConnection>> connect)
{
    private readonly Lock _gate = new();
    private List<Probe> _queued = [];
    private bool _sending;

    /// <summary>Runs <paramref name="script"/> on the device (in a batch), with <paramref name="stdin"/> (small: it is held
    /// in memory) as its standard input; the connection it ran on comes back with the result.</summary>
    public Task<(SshDeviceConnection Device, DeviceCommandResult Result)> RunAsync(string kind, string what, string script, byte[]? stdin,
        CancellationToken ct)
    {
        var probe = new Probe(kind, what, script, stdin, new(TaskCreationOptions.RunContinuationsAsynchronously));
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
                    using var input = p.Stdin is null ? null : new MemoryStream(p.Stdin);
                    p.Done.TrySetResult((device, await device.RunAsync(p.Kind, p.What, p.Script, input, ct)));
                    continue;
                }
                var marker = "edgeinfra-batch-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                var (script, contents) = Combine(batch, marker);
                var kind = batch.All(p => p.Stdin is null) ? "probes" : batch.All(p => p.Stdin is not null) ? "writes" : "batch";
                DeviceCommandResult result;
                using (contents)
                    result = await device.RunAsync(kind, string.Join(", ", batch.Select(p => p.What)), script, contents, ct);
                var parts = Split(result.Stdout, marker, batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(parts is null
                        ? (device, new DeviceCommandResult(result.ExitStatus == 0 ? -1 : result.ExitStatus, "", result.Stderr + "\n(the batch of commands ended early)"))
                        : (device, new DeviceCommandResult(parts[i].Status, parts[i].Stdout, parts[i].Status == 0 ? "" : result.Stderr)));
                }
            }
            catch (Exception e)
            {
                foreach (var p in batch) p.Done.TrySetException(e);
            }
        }
    }

    /// <summary>One shell command running every command of <paramref name="batch"/> in turn, and the tar stream of their
    /// standard inputs (null when none has one).</summary>
    private static (string Script, MemoryStream? Contents) Combine(List<Probe> batch, string marker)
    {
        var script = new StringBuilder();
        MemoryStream? contents = null;
        if (batch.Any(p => p.Stdin is not null))
        {
            contents = new MemoryStream();
            using (var tar = new TarWriter(contents, TarEntryFormat.Pax, leaveOpen: true))
                for (var i = 0; i < batch.Count; i++)
                    if (batch[i].Stdin is { } bytes)
                        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, i.ToString(System.Globalization.CultureInfo.InvariantCulture))
                        {
                            DataStream = new MemoryStream(bytes), Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                        });
            contents.Position = 0;
            script.Append("stage=$(umask 077 && mktemp -d) || exit 1; trap 'rm -rf \"$stage\"' EXIT; tar -xf - -C \"$stage\" || exit 1; ");
        }
        for (var i = 0; i < batch.Count; i++)
            script.Append("( ").Append(batch[i].Script).Append(batch[i].Stdin is null ? " ) < /dev/null" : $" ) < \"$stage/{i}\"")
                .Append("; printf '\\n").Append(marker).Append(":%d\\n' $?; ");
        return (script.ToString(), contents);
    }

    /// <summary>The output of each command and its exit status, or null when a marker is missing (the batch died midway).</summary>
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

    private sealed record Probe(string Kind, string What, string Script, byte[]? Stdin, TaskCompletionSource<(SshDeviceConnection, DeviceCommandResult)> Done);
}
