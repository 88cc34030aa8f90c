using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
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

/// <summary>Every message the SMTP sink accepted, in order of arrival.</summary>
internal sealed class Mailbox
{
    /// <summary>Safety net for a mail that never comes; not a performance threshold.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly List<MimeMessage> _messages = [];

    public IReadOnlyList<MimeMessage> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>The messages addressed to <paramref name="address"/>.</summary>
    public IReadOnlyList<MimeMessage> To(string address) =>
        Messages.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>
    /// Waits until <paramref name="count"/> messages to <paramref name="address"/> have arrived and returns
    /// the last of them; throws when they do not come within a minute.
    /// </summary>
    public async Task<MimeMessage> WaitForAsync(string address, int count = 1)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (To(address) is { } arrived && arrived.Count >= count)
            {
                return arrived[count - 1];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"No mail #{count} to {address} within {Patience}; received: {string.Join(", ", Messages.Select(m => m.To.ToString()))}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    internal void Add(MimeMessage message)
    {
        lock (_messages)
        {
            _messages.Add(message);
        }
    }
}

/// <summary>Reads the verification and manage links out of mails.</summary>
internal static partial class MailLinks
{
    /// <summary>What the tests configure as Keyserver:PublicUrl; every mailed link must start with it.</summary>
    public const string PublicUrl = "https://keys.example.test";

    /// <summary>The path (<c>/verify/…</c> or <c>/manage/…</c>) of the link in <paramref name="message"/>.</summary>
    public static string Path(MimeMessage message, string kind)
    {
        var match = Link().Match(message.TextBody ?? "");
        Assert.True(match.Success, $"no link in mail:\n{message.TextBody}");
        Assert.Equal(kind, match.Groups[1].Value);
        return match.Value[PublicUrl.Length..];
    }

    [GeneratedRegex(@"https://keys\.example\.test/(verify|manage)/[A-Za-z0-9_-]{43}")]
    private static partial Regex Link();
}
