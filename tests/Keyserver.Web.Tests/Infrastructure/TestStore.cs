using Keyserver.Core.Ingest;
using Keyserver.Storage.LiteDb;

namespace Keyserver.Web.Tests.Infrastructure;

/// <summary>A LiteDB store on a fresh temp directory with the ingest pipeline over it, for in-process command tests.</summary>
internal sealed class TestStore : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly LiteDbContext _context;

    public TestStore(PublicationMode mode = PublicationMode.None)
    {
        _context = new LiteDbContext(Path.Combine(_directory.Path, LiteDbContext.DefaultFileName));
        Store = new LiteDbKeyStore(_context);
        Ingestor = new KeyIngestor(Store, new KeyPolicy(mode, new KeyLimits()), TimeProvider.System);
    }

    public LiteDbKeyStore Store { get; }

    public KeyIngestor Ingestor { get; }

    public void Dispose()
    {
        Store.Dispose();
        _context.Dispose();
        _directory.Dispose();
    }
}
