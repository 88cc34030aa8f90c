namespace Interop.Tests.Verification;

/// <summary>
/// The real server process in <c>Email</c> mode wired to a loopback SMTP server, with a portal client on it:
/// the start of every e-mail verification test.
/// </summary>
internal sealed class MailedKeyserver : IAsyncDisposable
{
    private readonly LoopbackSmtpServer _smtp;

    private MailedKeyserver(LoopbackSmtpServer smtp, KeyserverProcess server)
    {
        _smtp = smtp;
        Server = server;
        Portal = new PortalClient(server.BaseUri);
    }

    public KeyserverProcess Server { get; }

    public PortalClient Portal { get; }

    /// <summary>The mails the server sent.</summary>
    public Mailbox Mailbox => _smtp.Mailbox;

    /// <summary>Starts the SMTP server and the keyserver; <paramref name="settings"/> are added to the server's environment.</summary>
    public static async Task<MailedKeyserver> StartAsync(params (string Name, string Value)[] settings)
    {
        var smtp = LoopbackSmtpServer.Start();
        try
        {
            var env = MailLinks.ServerEnvironment(smtp.Port);
            foreach (var (name, value) in settings)
            {
                env[name] = value;
            }

            return new MailedKeyserver(smtp, await KeyserverProcess.StartAsync(env: env));
        }
        catch
        {
            smtp.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Portal.Dispose();
        await Server.DisposeAsync();
        _smtp.Dispose();
    }
}
