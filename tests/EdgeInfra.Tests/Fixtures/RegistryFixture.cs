using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using EdgeInfra.Providers.Registry;

namespace EdgeInfra.Tests.Fixtures;

/// <summary>Real Debian <c>docker-registry</c> (distribution 2.8) instances on free loopback ports: an upstream, two
/// regional mirrors, and a mirror that asks for Basic credentials (htpasswd, bcrypt).</summary>
/// <remarks>
/// Shared by the <see cref="RegistryCollection"/>; each test pushes its images under repositories of its own
/// (<see cref="NewRepository"/>), so tests do not depend on each other's data or order. When docker-registry is
/// missing the fixture fails, naming the Debian package; it never skips.
/// </remarks>
public sealed class RegistryFixture : IAsyncLifetime
{
    public const string DebianPackage = "docker-registry";
    public const string Binary = "/usr/bin/docker-registry";
    public const string AuthUser = "edge-pull";
    public const string AuthPassword = "mirr0r-s3cret-Pw";

    private readonly TempDirectory _root = new("edgeinfra-registry-");

    public RegistryServer Upstream { get; private set; } = null!;
    public RegistryServer MirrorA { get; private set; } = null!;
    public RegistryServer MirrorB { get; private set; } = null!;

    /// <summary>A mirror that answers 401 with a Basic challenge until given <see cref="AuthUser"/>:<see cref="AuthPassword"/>.</summary>
    public RegistryServer AuthMirror { get; private set; } = null!;

    public static RegistryCredentials Credentials => new(AuthUser, AuthPassword);

    public async Task InitializeAsync()
    {
        if (!File.Exists(Binary))
        {
            var ci = Environment.GetEnvironmentVariable("CI") == "true" ? " (CI=true: integration tests must run)" : "";
            throw new InvalidOperationException(
                $"docker-registry is not installed{ci}: install the Debian package '{DebianPackage}' (apt-get install -y {DebianPackage}); " +
                "./test.sh does this when run as root");
        }
        var htpasswd = _root.Combine("htpasswd");
        await File.WriteAllTextAsync(htpasswd, $"{AuthUser}:{Bcrypt(AuthPassword)}\n");
        var started = await Task.WhenAll(
            RegistryServer.StartAsync(_root.Combine("upstream"), null),
            RegistryServer.StartAsync(_root.Combine("mirror-a"), null),
            RegistryServer.StartAsync(_root.Combine("mirror-b"), null),
            RegistryServer.StartAsync(_root.Combine("mirror-auth"), htpasswd));
        (Upstream, MirrorA, MirrorB, AuthMirror) = (started[0], started[1], started[2], started[3]);
    }

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { Upstream, MirrorA, MirrorB, AuthMirror })
            if (server is not null) await server.DisposeAsync();
        _root.Dispose();
    }

    /// <summary>A repository name no other test uses.</summary>
    public static string NewRepository(string prefix = "edge") => $"{prefix}/app-{Guid.NewGuid().ToString("N")[..12]}";

    /// <summary>A loopback URL where nothing listens: a mirror that is down.</summary>
    public static Uri DeadUrl()
    {
        return new Uri($"http://127.0.0.1:{LoopbackPort.Free()}");
    }

    /// <summary>bcrypt, as distribution's htpasswd wants, from the system's libcrypt (libxcrypt supports <c>$2b$</c>).</summary>
    private static string Bcrypt(string password)
    {
        const string alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var salt = new StringBuilder("$2b$05$");
        for (var i = 0; i < 22; i++) salt.Append(alphabet[Random.Shared.Next(alphabet.Length)]);
        var hash = Crypt(password, salt.ToString());
        var text = hash == IntPtr.Zero ? null : Marshal.PtrToStringAnsi(hash);
        return text is not null && text.StartsWith("$2b$", StringComparison.Ordinal)
            ? text
            : throw new InvalidOperationException("libcrypt.so.1 could not make a bcrypt hash for the htpasswd file");
    }

    [DllImport("libcrypt.so.1", EntryPoint = "crypt")]
    private static extern IntPtr Crypt([MarshalAs(UnmanagedType.LPUTF8Str)] string key, [MarshalAs(UnmanagedType.LPUTF8Str)] string salt);
}

/// <summary>One running <c>docker-registry serve</c>: its URL, its log, and the requests it logged.</summary>
public sealed partial class RegistryServer : IAsyncDisposable
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(20);
    private readonly StringBuilder _log = new();
    private readonly List<(string Method, string Uri)> _requests = [];
    private Process? _process;

    private RegistryServer(string dir) => Dir = dir;

    public string Dir { get; }
    public int Port { get; private set; }
    public Uri Url => new($"http://127.0.0.1:{Port}");
    public string Log { get { lock (_log) return _log.ToString(); } }

    public RegistryEndpoint Endpoint(string name = "test", RegistryCredentials? credentials = null) => new(name, Url, credentials);

    /// <summary>Requests the registry has logged as completed, in order: method and URI.</summary>
    public IReadOnlyList<(string Method, string Uri)> Requests { get { lock (_log) return [.. _requests]; } }

    /// <summary>A point in the request log: every request answered before this call is logged before it.</summary>
    /// <remarks>The registry logs a request just after its response, so a count read at once could miss the last
    /// one; a probe request, logged after everything before it, marks the point instead.</remarks>
    public async Task<int> MarkAsync()
    {
        var probe = await ProbeAsync();
        return Requests.ToList().FindIndex(r => r.Uri == probe) + 1;
    }

    /// <summary>The requests logged after <paramref name="mark"/> (from <see cref="MarkAsync"/>), for
    /// <paramref name="repository"/> only when given.</summary>
    public async Task<IReadOnlyList<(string Method, string Uri)>> RequestsSinceAsync(int mark, string? repository = null)
    {
        var probe = await ProbeAsync();
        var all = Requests.ToList();
        var cut = all.FindIndex(mark, r => r.Uri == probe);
        return [.. all.Take(cut).Skip(mark).Where(r => repository is null || r.Uri.StartsWith($"/v2/{repository}/", StringComparison.Ordinal))];
    }

    private async Task<string> ProbeAsync()
    {
        using var http = new HttpClient();
        var probe = $"/v2/edgeinfra-probe/manifests/{Guid.NewGuid():N}";
        using (await http.GetAsync(new Uri(Url, probe))) { }
        var deadline = Stopwatch.StartNew();
        while (!Requests.Any(r => r.Uri == probe))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(5)) throw new InvalidOperationException($"probe {probe} never logged. Log:\n{Log}");
            await Task.Delay(20);
        }
        return probe;
    }

    internal static async Task<RegistryServer> StartAsync(string dir, string? htpasswd)
    {
        Directory.CreateDirectory(dir);
        var server = new RegistryServer(dir);
        // A port found free can be taken before the registry binds it; a few attempts make that race harmless.
        for (var attempt = 1; ; attempt++)
        {
            server.Port = LoopbackPort.Free();
            var auth = htpasswd is null ? "" : $"auth: {{htpasswd: {{realm: edgeinfra-test, path: {htpasswd}}}}}\n";
            await File.WriteAllTextAsync(Path.Combine(dir, "reg.yml"),
                "version: 0.1\n" +
                "log: {level: info, accesslog: {disabled: true}}\n" +
                $"storage: {{filesystem: {{rootdirectory: {Path.Combine(dir, "data")}}}, delete: {{enabled: true}}}}\n" +
                $"http: {{addr: 127.0.0.1:{server.Port}, secret: edgeinfra-test-secret}}\n" + auth);
            server.Start();
            if (await server.WaitReadyAsync()) return server;
            server.Stop();
            if (attempt == 3)
                throw new InvalidOperationException($"docker-registry did not answer GET /v2/ on {server.Url} within {ReadyDeadline.TotalSeconds:0} s (3 attempts). Its log:\n{server.Log}");
        }
    }

    private void Start()
    {
        var info = new ProcessStartInfo(RegistryFixture.Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add(Path.Combine(Dir, "reg.yml"));
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Append($"[fixture] started docker-registry on {Url} (pid {_process.Id})");
    }

    private async Task<bool> WaitReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyDeadline)
        {
            if (_process is null || _process.HasExited) return false;
            try
            {
                using var response = await http.GetAsync(new Uri(Url, "/v2/"));
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized) return true;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(50);
        }
        return false;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.AppendLine(line);
            if (line.Contains("response completed", StringComparison.Ordinal) &&
                MethodPattern().Match(line) is { Success: true } m && UriPattern().Match(line) is { Success: true } u)
                _requests.Add((m.Groups[1].Value, u.Groups[1].Value));
        }
    }

    private void Stop()
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

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"http\.request\.method=(\S+)")]
    private static partial Regex MethodPattern();

    [GeneratedRegex(@"http\.request\.uri=""?([^""\s]+)")]
    private static partial Regex UriPattern();
}

/// <summary>The xunit collection of tests that share one <see cref="RegistryFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryFixture>
{
    public const string Name = "docker registry";
}
