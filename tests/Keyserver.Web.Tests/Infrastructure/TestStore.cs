using Keyserver.Core.Ingest;
using Keyserver.Storage.LiteDb;

namespace Keyserver.Web.Tests.Infrastructure;

/// <summary>A LiteDB store on a fresh temp directory with the ingest pipeline over it, for in-process command tests.</summary>
internal sealed class TestStore : IDisposable
{
    private readonly TempDirectory _directory = new();
    public TestStore(PublicationMode mode = PublicationMode.None)
    {
        Context = new LiteDbContext(Path.Combine(_directory.Path, LiteDbContext.DefaultFileName));
        Store = new LiteDbKeyStore(Context);
        Ingestor = new KeyIngestor(Store, new KeyPolicy(mode, new KeyLimits()), TimeProvider.System);
    }

    /// <summary>The database file, for the other stores that share it.</summary>
    public LiteDbContext Context { get; }

    public LiteDbKeyStore Store { get; }

    public KeyIngestor Ingestor { get; }

    public void Dispose()
    {
        Store.Dispose();
        Context.Dispose();
        _directory.Dispose();
    }
}
