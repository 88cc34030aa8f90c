using Keyserver.Core.Search;
using Keyserver.Core.Storage;
using static Keyserver.Contracts.TestRecords;

namespace Keyserver.Contracts.Admin;

/// <summary>
/// What every <see cref="IKeyAdminSearch"/> must do over the keys of its <see cref="IKeyStore"/>: find
/// keys by any query kind whatever the state of their identities.
/// </summary>
public abstract class KeyAdminSearchContractTests(StoreBackend<IKeyStore> backend) : StoreContract<IKeyStore>(backend)
{
    protected IKeyStore Store => Opened;

    /// <summary>The search over <paramref name="store"/>'s keys.</summary>
    protected abstract IKeyAdminSearch SearchOver(IKeyStore store);

    private async Task<IReadOnlyList<string>> Find(KeyQuery query)
    {
        var page = await SearchOver(Store).FindAnyAsync(query, 0, 100);
        Assert.Equal(page.Keys.Count, page.Total);
        return page.Keys.Select(k => k.Fingerprint).ToList();
    }

    private async Task PutAll()
    {
        await Store.UpdateAsync(Fingerprint(1), _ => Create(Fingerprint(1), [Identity("Pending Person <pending@example.org>", IdentityState.Pending)], [Fingerprint(11, "CD")]));
        await Store.UpdateAsync(Fingerprint(2), _ => Create(Fingerprint(2), [Identity("Gone Person <gone@example.org>", IdentityState.Unpublished)]));
        await Store.UpdateAsync(Fingerprint(3), _ => Create(Fingerprint(3), [Identity("Shown Person <shown@example.org>")]));
    }

    [Fact]
    public async Task FindAny_PendingAndUnpublishedIdentities_FoundByAddressWordsAndUserId()
    {
        await PutAll();

        Assert.Equal([Fingerprint(1)], await Find(new KeyQuery.ByEmail("PENDING@example.org")));
        Assert.Equal([Fingerprint(2)], await Find(new KeyQuery.ByEmail("gone@example.org")));
        Assert.Equal([Fingerprint(3)], await Find(new KeyQuery.ByEmail("shown@example.org")));
        Assert.Equal([Fingerprint(1), Fingerprint(2), Fingerprint(3)], await Find(new KeyQuery.ByWords(["person"])));
        Assert.Equal([Fingerprint(2)], await Find(new KeyQuery.ByWords(["gone", "person"])));
        Assert.Equal([Fingerprint(1)], await Find(new KeyQuery.ByUserId("pending person <pending@example.org>")));
        Assert.Empty(await Find(new KeyQuery.ByWords(["nobody"])));
    }

    [Fact]
    public async Task FindAny_UnpublishedKey_FoundByFingerprintKeyIdsAndSubkey()
    {
        await PutAll();
        var fingerprint = Fingerprint(1);
        var subkey = Fingerprint(11, "CD");

        Assert.Equal([fingerprint], await Find(new KeyQuery.ByFingerprint(fingerprint.ToLowerInvariant())));
        Assert.Equal([fingerprint], await Find(new KeyQuery.ByFingerprint(subkey)));
        Assert.Equal([fingerprint], await Find(new KeyQuery.ByKeyId(fingerprint[^16..])));
        Assert.Equal([fingerprint], await Find(new KeyQuery.ByShortKeyId(subkey[^8..])));
        Assert.Empty(await Find(new KeyQuery.ByFingerprint(Fingerprint(9))));
    }

    [Fact]
    public async Task FindAny_Paging_TotalCountsEveryMatchInFingerprintOrder()
    {
        await PutAll();

        var page = await SearchOver(Store).FindAnyAsync(new KeyQuery.ByWords(["person"]), 1, 1);

        Assert.Equal(3, page.Total);
        Assert.Equal(Fingerprint(2), Assert.Single(page.Keys).Fingerprint);
    }

    [Fact]
    public async Task FindAny_DeletedKey_NotFound()
    {
        await PutAll();
        await Store.UpdateAsync(Fingerprint(1), _ => null);

        Assert.Empty(await Find(new KeyQuery.ByEmail("pending@example.org")));
    }
}
