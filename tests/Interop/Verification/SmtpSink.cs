using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Interop.Tests.Verification;

/// <summary>
/// A real SMTP server (the SmtpServer package) on 127.0.0.1 that keeps every message it accepts. The
/// list of received mail is shared with <see cref="Mailbox"/>, so a test can stop the server, start it
/// again on the same port and still see everything that arrived.
/// </summary>
internal sealed class SmtpSink : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private SmtpSink(int port, Mailbox mailbox)
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
    public static SmtpSink Start(int port = 0, Mailbox? mailbox = null) =>
        new(port == 0 ? FreePort() : port, mailbox ?? new Mailbox());

    /// <summary>A loopback port nothing listens on right now (an "SMTP server down" address).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The environment that points the keyserver at an SMTP server on <paramref name="port"/>, e-mail mode on.</summary>
    public static Dictionary<string, string> ServerEnvironment(int port) => new()
    {
        ["Verification__Mode"] = "Email",
        ["Mail__Smtp__Host"] = "127.0.0.1",
        ["Mail__Smtp__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail__Smtp__Security"] = "None",
        // The server's port is chosen by KeyserverProcess at start, so links carry this public name
        // and the tests follow only their path; that the prefix is used is checked on the way.
        ["Keyserver__PublicUrl"] = MailLinks.PublicUrl,
    };

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
