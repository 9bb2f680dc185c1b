using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using EdgeInfra.Tests.Cli;

namespace EdgeInfra.Tests.Service;

/// <summary>A real <c>edgeinfra serve</c> process on a free loopback port, over a test project, with a client for it.</summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private ServiceProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>The process id the test started (the service runs under it, re-executed or not).</summary>
    public int Pid => _process.Id;

    /// <summary>Starts the service and waits until it listens (its first stdout line names the URL).</summary>
    /// <param name="listen">The address to listen on: a free port by default; a stopped service's to restart it where its
    /// clients reconnect.</param>
    public static async Task<ServiceProcess> StartAsync(string projectDir, IDictionary<string, string>? env = null, string stack = "lab",
        string listen = "127.0.0.1:0")
    {
        var p = CliRunner.Start(["serve", "--stack", stack, "--listen", listen, "--cwd", projectDir], env);
        p.StandardInput.Close();
        var stderr = new StringBuilder();
        p.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        p.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var line = await p.StandardOutput.ReadLineAsync(timeout.Token);
        var at = line?.IndexOf("http://", StringComparison.Ordinal) ?? -1;
        if (line is null || at < 0)
        {
            await p.WaitForExitAsync(timeout.Token);
            string err;
            lock (stderr) err = stderr.ToString();
            throw new InvalidOperationException($"edgeinfra serve did not start (exit {p.ExitCode}): {line}\n{err}");
        }
        _ = p.StandardOutput.ReadToEndAsync();
        var url = line[at..].Split(' ', 2)[0];
        var service = new ServiceProcess(p, new Uri(url + "/"));
        lock (stderr) service._stderr.Append(stderr);
        return service;
    }

    public HttpClient Client(string? token = null)
    {
        var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromMinutes(3) };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>kill -9: no chance to write anything.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as systemd stops it; returns the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>The rollout's server-sent events (each data object), after <paramref name="lastEventId"/> when given,
    /// until the stream ends.</summary>
    public static async IAsyncEnumerable<JsonElement> EventsAsync(HttpClient http, string rolloutId, string? lastEventId = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/rollouts/{rolloutId}/events");
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line)
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                yield return JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
