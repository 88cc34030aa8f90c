namespace Keyserver.Core.Tests.Verification;

/// <summary>
/// The frame of the verification service's tests: in-memory stores and outbox, a fake clock at
/// <see cref="TestVectors.Now"/>, and the service over them.
/// </summary>
public abstract class VerificationServiceContext
{
    private protected const string Eve = "eve@example.org";

    private protected static readonly VerificationSettings Settings =
        new(PublicationMode.Email, TimeSpan.FromDays(3), TimeSpan.FromHours(1), TimeSpan.FromDays(14));

    private protected readonly FakeTimeProvider _clock = new(TestVectors.Now);
    private protected readonly InMemoryKeyStore _keys = new();
    private protected readonly InMemoryVerificationStore _store = new();
    private protected readonly InMemoryMailOutbox _outbox = new();

    private protected VerificationService Service(VerificationSettings? settings = null) => new(_keys, _store, _outbox, settings ?? Settings, _clock);

    private protected Task<IngestReport> IngestAsync(byte[] key, PublicationMode mode = PublicationMode.Email) =>
        new KeyIngestor(_keys, new KeyPolicy(mode, new KeyLimits()), _clock).IngestAsync(key, new IngestOptions());
}
