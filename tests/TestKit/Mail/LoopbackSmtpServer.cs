using System.Buffers;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace TestKit.Mail;

/// <summary>
/// A real SMTP server (the SmtpServer package) on 127.0.0.1 that keeps every message it accepts in a
/// <see cref="Mail.Mailbox"/>. Pass the mailbox of a stopped server to a new one on the same port to
/// simulate a restart and still see everything that arrived.
/// </summary>
public sealed class LoopbackSmtpServer : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private LoopbackSmtpServer(int port, Mailbox mailbox)
    {
        Port = port;
        Mailbox = mailbox;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(mailbox));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; }

    public Mailbox Mailbox { get; }

    /// <summary>Starts a server on <paramref name="port"/> (0: a free one) delivering into <paramref name="mailbox"/>.</summary>
    public static LoopbackSmtpServer Start(int port = 0, Mailbox? mailbox = null) =>
        new(port == 0 ? LoopbackPort.Free() : port, mailbox ?? new Mailbox());

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _running.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // Cancellation surfaces here; the server is stopped either way.
        }

        _stop.Dispose();
    }

    private sealed class Store(Mailbox mailbox) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            mailbox.Add(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
