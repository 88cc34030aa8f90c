using Microsoft.Extensions.DependencyInjection;

namespace Keyserver.Storage.LiteDb.Tests;

public class LiteDbServiceCollectionExtensionsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "keystore-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task AddLiteDbStores_Resolved_OneStoreOnOneFileDisposedWithContainer()
    {
        var path = Path.Combine(_directory, LiteDbContext.DefaultFileName);
        var services = new ServiceCollection().AddLiteDbStores(_ => path);

        await using (var provider = services.BuildServiceProvider())
        {
            var store = provider.GetRequiredService<IKeyStore>();
            Assert.Same(provider.GetRequiredService<LiteDbKeyStore>(), store);
            Assert.Equal(path, provider.GetRequiredService<LiteDbContext>().DatabasePath);
            Assert.IsType<Keyserver.Storage.LiteDb.Verification.LiteDbVerificationStore>(provider.GetRequiredService<Keyserver.Core.Verification.IVerificationStore>());
            await store.UpdateAsync(TestRecords.Fingerprint(1), _ => TestRecords.Create(TestRecords.Fingerprint(1), "A <a@example.org>"));
        }

        // The container closed the file: it opens again.
        using var reopened = new LiteDbKeyStore(path);
        Assert.NotNull(await reopened.GetAsync(TestRecords.Fingerprint(1)));
    }
}
