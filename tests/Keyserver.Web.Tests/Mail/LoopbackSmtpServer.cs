using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Keyserver.Web.Tests.Mail;

/// <summary>A real SMTP server (the SmtpServer package) on 127.0.0.1, keeping every message it receives.</summary>
internal sealed class LoopbackSmtpServer : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private LoopbackSmtpServer(int port, CapturingStore store)
    {
        Port = port;
        Store = store;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(store);
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; }

    public CapturingStore Store { get; }

    /// <summary>Starts a server on <paramref name="port"/> (0 picks a free one).</summary>
    public static LoopbackSmtpServer Start(int port = 0) => new(port == 0 ? FreePort() : port, new CapturingStore());

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

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

    internal sealed class CapturingStore : MessageStore
    {
        private readonly SemaphoreSlim _arrived = new(0);

        public ConcurrentQueue<MimeMessage> Messages { get; } = new();

        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            Messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            _arrived.Release();
            return SmtpResponse.Ok;
        }

        /// <summary>Waits for the next message; fails the test when none comes within a generous deadline.</summary>
        public async Task WaitForMessageAsync()
        {
            Assert.True(await _arrived.WaitAsync(TimeSpan.FromSeconds(60)), "no mail arrived");
        }
    }
}
