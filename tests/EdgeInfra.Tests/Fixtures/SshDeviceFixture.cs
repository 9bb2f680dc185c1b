using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeInfra.Tests.Fixtures;

/// <summary>Real OpenSSH servers on loopback ports, each playing one store device in its own mount namespace.</summary>
/// <remarks>
/// Each device is <c>sshd -D</c> started by <c>unshare -m</c> after the device's private views of the K3s paths are
/// mounted: copy-on-write overlays (upper layer on a private tmpfs) over <c>/etc</c> and <c>/var/lib</c>, and a tmpfs
/// over <c>/usr/local/bin</c> holding a stand-in <c>systemctl</c>, and a tmpfs over <c>/root</c> holding Debian's stock
/// <c>.bashrc</c> and <c>.profile</c> (sshd runs every command through root's bash, which reads <c>~/.bashrc</c>: this
/// machine's own one runs <c>pyenv init</c> twice, ~160 ms of CPU per command, no device has that). So the product writes the real paths
/// (<c>/etc/rancher/k3s/…</c>, <c>/var/lib/rancher/k3s/…</c>, <c>/usr/local/bin/k3s</c>), devices never see each other's
/// files, and nothing is created on the host (every mount point exists already). The K3s binary cannot run here:
/// <see cref="ArtifactsDir"/> holds the air-gap artifacts the product uploads, a stand-in <c>k3s</c> that answers
/// <c>--version</c> like K3s and an <c>install.sh</c>; every stand-in appends its call to <see cref="CallLog"/> on the
/// device. Each test creates its own devices (<see cref="StartDeviceAsync"/>), so tests share no device state.
/// </remarks>
public sealed class SshDeviceFixture : IAsyncLifetime
{
    public const string DebianPackage = "openssh-server";
    public const string StandInVersion = "v1.34.2+k3s1";
    /// <summary>Where the stand-ins record what was asked of them, on the device.</summary>
    public const string CallLog = "/var/lib/edgeinfra-standin/calls.log";

    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(15);
    private readonly TempDirectory _root = new("edgeinfra-sshd-");
    private readonly List<SshTestDevice> _devices = [];
    private readonly Lock _gate = new();

    /// <summary>The OpenSSH private key every device authorizes (the product's bootstrap key in tests).</summary>
    public string ClientPrivateKey { get; private set; } = "";

    /// <summary>The air-gap artifacts directory (stand-in <c>k3s</c> at <see cref="StandInVersion"/>, <c>install.sh</c>, an images tarball).</summary>
    public string ArtifactsDir => _root.Combine("artifacts");

    public string Root => _root.Path;

    public Task InitializeAsync()
    {
        var missing = new[] { "/usr/sbin/sshd", "/usr/bin/ssh-keygen", "/usr/bin/unshare", "/usr/bin/nsenter" }.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            var ci = Environment.GetEnvironmentVariable("CI") == "true" ? " (CI=true: integration tests must run)" : "";
            throw new InvalidOperationException(
                $"{string.Join(", ", missing)} not found{ci}: install the Debian package '{DebianPackage}' (and util-linux) " +
                $"with apt-get install -y {DebianPackage}; ./test.sh does this when run as root");
        }
        Directory.CreateDirectory("/run/sshd"); // sshd refuses to start without its privilege-separation directory
        Run("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "edgeinfra-test", "-f", _root.Combine("client_key"));
        ClientPrivateKey = File.ReadAllText(_root.Combine("client_key"));

        Directory.CreateDirectory(ArtifactsDir);
        WriteScript(Path.Combine(ArtifactsDir, "k3s"), StandInK3s(StandInVersion));
        WriteScript(Path.Combine(ArtifactsDir, "install.sh"), $$"""
            #!/bin/sh
            # Stand-in for the K3s install script: records its environment, checks the binary as the real one does.
            mkdir -p /var/lib/edgeinfra-standin
            echo "install.sh INSTALL_K3S_VERSION=$INSTALL_K3S_VERSION INSTALL_K3S_SKIP_DOWNLOAD=$INSTALL_K3S_SKIP_DOWNLOAD INSTALL_K3S_EXEC=$INSTALL_K3S_EXEC INSTALL_K3S_SKIP_START=$INSTALL_K3S_SKIP_START" >> {{CallLog}}
            [ -x /usr/local/bin/k3s ] || { echo "Executable k3s binary not found at /usr/local/bin/k3s" >&2; exit 1; }
            """);
        File.WriteAllText(Path.Combine(ArtifactsDir, "k3s-airgap-images-amd64.tar.zst"), "stand-in images tarball\n");
        WriteScript(_root.Combine("systemctl"), $$"""
            #!/bin/sh
            mkdir -p /var/lib/edgeinfra-standin
            echo "systemctl $*" >> {{CallLog}}
            """);
        return Task.CompletedTask;
    }

    /// <summary>A stand-in <c>k3s</c> that reports <paramref name="version"/> and logs every other call.</summary>
    public static string StandInK3s(string version) => $$"""
        #!/bin/sh
        if [ "$1" = "--version" ]; then
          echo "k3s version {{version}} (98262b5d)"
          echo "go version go1.22.5"
          exit 0
        fi
        mkdir -p /var/lib/edgeinfra-standin
        echo "k3s $*" >> {{CallLog}}
        """;

    /// <summary>Starts one more device: a fresh host key, an empty K3s filesystem, sshd on a free loopback port.</summary>
    public async Task<SshTestDevice> StartDeviceAsync(string name)
    {
        var dir = _root.Combine("devices", $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        Directory.CreateDirectory(Path.Combine(dir, "ns"));
        File.Copy(_root.Combine("client_key.pub"), Path.Combine(dir, "authorized_keys"));
        var device = new SshTestDevice(name, dir, _root.Combine("systemctl"));
        await device.StartAsync(newHostKey: true, port: null);
        lock (_gate) _devices.Add(device);
        return device;
    }

    /// <summary>A loopback port nothing listens on (found free, then released): an unreachable device.</summary>
    public static int UnusedPort() => LoopbackPort.Free();

    public Task DisposeAsync()
    {
        lock (_gate)
        {
            foreach (var d in _devices) d.Stop();
            _devices.Clear();
        }
        _root.Dispose();
        return Task.CompletedTask;
    }

    internal static string Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {p.ExitCode}: {stderr}");
        return stdout.Result;
    }

    private static void WriteScript(string path, string text)
    {
        File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n");
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("store devices are Linux mount namespaces");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                   UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    /// <summary>One simulated store device: an sshd in its own mount namespace.</summary>
    public sealed class SshTestDevice
    {
        private readonly string _dir;
        private readonly string _systemctl;
        private readonly System.Text.StringBuilder _log = new();
        private Process? _process;

        internal SshTestDevice(string name, string dir, string systemctl)
        {
            Name = name;
            _dir = dir;
            _systemctl = systemctl;
        }

        public string Name { get; }
        public int Port { get; private set; }

        /// <summary>The host key's OpenSSH SHA-256 fingerprint (<c>SHA256:…</c>).</summary>
        public string HostKey { get; private set; } = "";

        /// <summary>What sshd logged (for failure messages).</summary>
        public string ServerLog { get { lock (_log) return _log.ToString(); } }

        internal async Task StartAsync(bool newHostKey, int? port)
        {
            var key = Path.Combine(_dir, "host_key");
            if (newHostKey)
            {
                File.Delete(key);
                File.Delete(key + ".pub");
                Run("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", Name, "-f", key);
                HostKey = Run("/usr/bin/ssh-keygen", "-l", "-E", "sha256", "-f", key + ".pub").Split(' ')[1];
            }
            for (var attempt = 1; ; attempt++)
            {
                Port = port ?? LoopbackPort.Free();
                File.WriteAllText(Path.Combine(_dir, "sshd_config"), $"""
                    Port {Port}
                    ListenAddress 127.0.0.1
                    HostKey {key}
                    AuthorizedKeysFile {Path.Combine(_dir, "authorized_keys")}
                    PasswordAuthentication no
                    PermitRootLogin prohibit-password
                    PidFile {Path.Combine(_dir, "sshd.pid")}
                    StrictModes no
                    UsePAM no
                    MaxSessions 32
                    MaxStartups 100:30:200

                    """);
                _process = Launch();
                if (await WaitReadyAsync()) return;
                Stop();
                if (attempt == 3 || port is not null)
                    throw new InvalidOperationException($"sshd for device {Name} did not listen on 127.0.0.1:{Port} within {ReadyDeadline.TotalSeconds:0} s. Its log:\n{ServerLog}");
            }
        }

        /// <summary>Re-images the device: a new host key, the same port (its files survive, as on a box whose SSH keys were regenerated).</summary>
        public async Task RestartWithNewHostKeyAsync()
        {
            var files = Exec("tar -C / -cf - etc/rancher var/lib/rancher usr/local/bin 2>/dev/null | base64 -w0");
            Stop();
            await StartAsync(newHostKey: true, port: Port);
            Exec($"echo '{files.Trim()}' | base64 -d | tar -C / -xf -");
        }

        /// <summary>Runs a shell command inside the device's mount namespace (as a technician on the box would).</summary>
        public string Exec(string command) =>
            Run("/usr/bin/nsenter", "-t", (_process ?? throw new InvalidOperationException($"device {Name} is not running")).Id.ToString(),
                "-m", "--", "/bin/sh", "-c", command);

        /// <summary>The file's content on the device, or null when it does not exist there.</summary>
        public string? ReadFile(string path)
        {
            var text = Exec($"if [ -f '{path}' ]; then echo present; cat '{path}'; else echo absent; fi");
            return text.StartsWith("present\n", StringComparison.Ordinal) ? text["present\n".Length..] : null;
        }

        public void WriteFile(string path, string content, string mode = "600")
        {
            var b64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(content));
            Exec($"mkdir -p \"$(dirname '{path}')\" && echo '{b64}' | base64 -d > '{path}' && chmod {mode} '{path}'");
        }

        /// <summary>Every call the stand-ins recorded, one per line (empty when none).</summary>
        public IReadOnlyList<string> Calls => (ReadFile(CallLog) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);

        private Process Launch()
        {
            var ns = Path.Combine(_dir, "ns");
            var script = $"""
                set -e
                mount -t tmpfs tmpfs '{ns}'
                mkdir -p '{ns}/etc-up' '{ns}/etc-work' '{ns}/lib-up' '{ns}/lib-work'
                mount -t overlay overlay -o 'lowerdir=/etc,upperdir={ns}/etc-up,workdir={ns}/etc-work' /etc
                mount -t overlay overlay -o 'lowerdir=/var/lib,upperdir={ns}/lib-up,workdir={ns}/lib-work' /var/lib
                mount -t tmpfs tmpfs /usr/local/bin
                cp '{_systemctl}' /usr/local/bin/systemctl
                mount -t tmpfs tmpfs /root
                cp /usr/share/base-files/dot.bashrc /root/.bashrc
                cp /usr/share/base-files/dot.profile /root/.profile
                exec /usr/sbin/sshd -D -e -f '{Path.Combine(_dir, "sshd_config")}'
                """;
            var info = new ProcessStartInfo("/usr/bin/unshare")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (var a in new[] { "-m", "--propagation", "private", "/bin/sh", "-c", script }) info.ArgumentList.Add(a);
            var p = new Process { StartInfo = info };
            p.OutputDataReceived += (_, e) => Append(e.Data);
            p.ErrorDataReceived += (_, e) => Append(e.Data);
            p.Start();
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            Append($"[fixture] started device {Name} on 127.0.0.1:{Port} (pid {p.Id})");
            return p;
        }

        private async Task<bool> WaitReadyAsync()
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < ReadyDeadline)
            {
                if (_process!.HasExited)
                {
                    Append($"[fixture] sshd exited with {_process.ExitCode}");
                    return false;
                }
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, Port);
                    return true;
                }
                catch (SocketException)
                {
                    await Task.Delay(20);
                }
            }
            Append("[fixture] readiness deadline passed");
            return false;
        }

        internal void Stop()
        {
            if (_process is null) return;
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException) { /* already gone */ }
            _process.Dispose();
            _process = null;
        }

        private void Append(string? line)
        {
            if (line is null) return;
            lock (_log) _log.AppendLine(line);
        }
    }
}

/// <summary>The xunit collection of tests that share one <see cref="SshDeviceFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class SshDeviceCollection : ICollectionFixture<SshDeviceFixture>
{
    public const string Name = "ssh devices";
}
