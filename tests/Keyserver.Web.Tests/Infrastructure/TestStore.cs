namespace Keyserver.Web.Tests.Infrastructure;

/// <summary>A LiteDB store on a fresh temp directory with the upload use case over it, for in-process command tests.</summary>
internal sealed class TestStore : IDisposable
{
    private readonly TempDirectory _directory = new();

    public TestStore(PublicationMode mode = PublicationMode.None)
    {
        Context = new LiteDbContext(Path.Combine(_directory.Path, LiteDbContext.DefaultFileName));
        Store = new LiteDbKeyStore(Context);
        Ingestor = new KeyIngestor(Store, new KeyPolicy(mode, new KeyLimits()), TimeProvider.System);
        var verification = new VerificationService(
            Store,
            new LiteDbVerificationStore(Context),
            new LiteDbMailOutbox(Context),
            new VerificationSettings(mode, TimeSpan.FromDays(3), TimeSpan.FromHours(1), TimeSpan.FromDays(14)),
            TimeProvider.System);
        Submission = new KeySubmission(Ingestor, verification, NullLogger<KeySubmission>.Instance);
    }

    /// <summary>The database file, for the other stores that share it.</summary>
    public LiteDbContext Context { get; }

    public LiteDbKeyStore Store { get; }

    public KeyIngestor Ingestor { get; }

    public KeySubmission Submission { get; }

    public void Dispose()
    {
        Store.Dispose();
        Context.Dispose();
        _directory.Dispose();
    }
}
