using System.Runtime.InteropServices;

namespace SifSign.Cli;

/// <summary>
/// Turns SIGINT, SIGTERM, SIGHUP and SIGQUIT into a cancellation the running command observes, instead
/// of the runtime's default of ending the process on the spot. <c>sign</c> uses it so that an
/// interrupted sign rolls its append back and leaves the image byte for byte as it was; a second
/// signal changes nothing, and SIGKILL cannot be caught (the append's write order then keeps the
/// image verifiable, with unreferenced bytes at the end at worst).
/// </summary>
internal sealed class SignalCancellation : IDisposable
{
    private static readonly PosixSignal[] Signals = [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT];

    private readonly CancellationTokenSource source = new();
    private readonly List<PosixSignalRegistration> registrations = [];

    public SignalCancellation()
    {
        foreach (var signal in Signals)
        {
            try
            {
                registrations.Add(PosixSignalRegistration.Create(signal, Handle));
            }
            catch (PlatformNotSupportedException)
            {
                // Not every signal exists everywhere (Windows knows fewer); the others still count.
            }
        }
    }

    public CancellationToken Token => source.Token;

    public void Dispose()
    {
        foreach (var registration in registrations)
        {
            registration.Dispose();
        }

        source.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        source.Cancel();
    }
}
