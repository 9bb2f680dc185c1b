using System.Runtime.InteropServices;

namespace EdgeInfra.Cli;

/// <summary>Turns the first SIGINT (Ctrl-C) or SIGTERM into a cancellation the running verb honours, and remembers
/// which signal it was so the process exits 130 or 143 as shells expect.</summary>
/// <remarks>The engine writes state by atomic replace and takes its locks with <c>using</c>, so a verb stopped through
/// its cancellation token leaves state the next run reads. A second signal is not intercepted: it ends the process at
/// once, for the operator whose verb does not stop quickly enough.</remarks>
internal sealed class TerminationSignals : IDisposable
{
    public const int InterruptExitCode = 130;
    public const int TerminateExitCode = 143;

    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _exitCode;

    public TerminationSignals()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Received(c, InterruptExitCode)),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Received(c, TerminateExitCode)),
        ];
    }

    public CancellationToken Token => _cancel.Token;

    /// <summary>130 after SIGINT, 143 after SIGTERM; null while no signal arrived.</summary>
    public int? ExitCode => Volatile.Read(ref _exitCode) is var code and > 0 ? code : null;

    public string SignalName => ExitCode == InterruptExitCode ? "SIGINT" : "SIGTERM";

    private void Received(PosixSignalContext context, int exitCode)
    {
        if (Interlocked.CompareExchange(ref _exitCode, exitCode, 0) != 0) return;
        context.Cancel = true;
        _cancel.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cancel.Dispose();
    }
}
