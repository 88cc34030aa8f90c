using OptionsFactory = Microsoft.Extensions.Options.Options;

namespace Keyserver.Web.Tests.Mail;

/// <summary>
/// The verification back end on a LiteDB file in a fresh directory, wired as AddVerification does,
/// with an outbox worker delivering over SMTP to 127.0.0.1. Reopen simulates a restart on the same file.
/// </summary>
internal sealed class MailTestKit : IDisposable
{
    public const string PublicUrl = "https://keys.example.org";

    private readonly TempDirectory _directory = new();
    private LiteDbContext? _context;
    private OutboxSignal _signal = new();

    public MailTestKit(int smtpPort)
    {
        SmtpPort = smtpPort;
        Open();
    }

    public int SmtpPort { get; }

    public LiteDbKeyStore Keys { get; private set; } = null!;

    public IMailOutbox Outbox { get; private set; } = null!;

    public VerificationService Verification { get; private set; } = null!;

    public KeyIngestor Ingestor { get; private set; } = null!;

    public static MailComposer Composer() => new(
        OptionsFactory.Create(new PublicUrlOptions { PublicUrl = PublicUrl + "/" }),
        OptionsFactory.Create(new MailOptions { From = "Keyserver <keys@example.org>" }),
        TimeProvider.System);

    public OutboxWorker Worker(ILogger<OutboxWorker>? logger = null) => new(
        Outbox,
        Composer(),
        new SmtpMailDelivery(OptionsFactory.Create(new SmtpOptions { Host = "127.0.0.1", Port = SmtpPort, Security = "None" })),
        _signal,
        OptionsFactory.Create(new MailOptions { RetryInitialDelay = TimeSpan.FromMilliseconds(100), RetryMaxDelay = TimeSpan.FromMilliseconds(400) }),
        TimeProvider.System,
        logger ?? NullLogger<OutboxWorker>.Instance);

    public async Task<IReadOnlyList<string>> UploadAsync(TestKey key) =>
        await Verification.OnUploadAsync(await Ingestor.IngestAsync(key.Binary, new IngestOptions()));

    public void Reopen()
    {
        Close();
        Open();
    }

    public void Dispose()
    {
        Close();
        _directory.Dispose();
    }

    private void Open()
    {
        _context = new LiteDbContext(Path.Combine(_directory.Path, LiteDbContext.DefaultFileName));
        Keys = new LiteDbKeyStore(_context);
        _signal = new OutboxSignal();
        Outbox = new NotifyingMailOutbox(new LiteDbMailOutbox(_context), _signal);
        Verification = new VerificationService(
            Keys, new LiteDbVerificationStore(_context), Outbox,
            new VerificationSettings(PublicationMode.Email, TimeSpan.FromDays(3), TimeSpan.FromHours(1), TimeSpan.FromDays(14)),
            TimeProvider.System);
        Ingestor = new KeyIngestor(Keys, new KeyPolicy(PublicationMode.Email, new KeyLimits()), TimeProvider.System);
    }

    private void Close()
    {
        Keys?.Dispose();
        _context?.Dispose();
        _context = null;
    }
}
