using Keyserver.Core.Ingest;
using Keyserver.Core.Verification;
using Keyserver.Storage.LiteDb;
using Keyserver.Storage.LiteDb.Verification;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keyserver.Web.Tests.Infrastructure;

/// <summary>A LiteDB store on a fresh temp directory with the upload use case over it, for in-process command tests.</summary>
internal sealed class TestStore : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly LiteDbContext _context;

    public TestStore(PublicationMode mode = PublicationMode.None)
    {
        _context = new LiteDbContext(Path.Combine(_directory.Path, LiteDbContext.DefaultFileName));
        Store = new LiteDbKeyStore(_context);
        Ingestor = new KeyIngestor(Store, new KeyPolicy(mode, new KeyLimits()), TimeProvider.System);
        var verification = new VerificationService(
            Store,
            new LiteDbVerificationStore(_context),
            new LiteDbMailOutbox(_context),
            new VerificationSettings(mode, TimeSpan.FromDays(3), TimeSpan.FromHours(1), TimeSpan.FromDays(14)),
            TimeProvider.System);
        Submission = new KeySubmission(Ingestor, verification, NullLogger<KeySubmission>.Instance);
    }

    public LiteDbKeyStore Store { get; }

    public KeyIngestor Ingestor { get; }

    public KeySubmission Submission { get; }

    public void Dispose()
    {
        Store.Dispose();
        _context.Dispose();
        _directory.Dispose();
    }
}
