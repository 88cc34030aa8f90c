using System.Runtime.InteropServices;

namespace Keyserver.Web.Commands;

/// <summary>
/// SIGINT and SIGTERM during an import: the first one asks the import to stop after the keys in
/// flight (the process is not killed, so those keys are written whole and counted); a second one
/// ends the process at once, as the signal normally would.
/// </summary>
internal sealed class ImportSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly TextWriter _error;

    public ImportSignals(TextWriter error)
    {
        _error = error;
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    public CancellationToken Stop => _stop.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stop.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        context.Cancel = true;
        _error.WriteLine($"{context.Signal}: stopping after the keys in flight");
        _stop.Cancel();
    }
}
