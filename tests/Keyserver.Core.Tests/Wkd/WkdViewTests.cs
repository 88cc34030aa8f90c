using Keyserver.Core.Wkd;

namespace Keyserver.Core.Tests.Wkd;

/// <summary>
/// What WKD serves for an address (draft-koch-openpgp-webkey-service-22 §5: only that address's user
/// ID), derived from real stored records (rsa-alice.pgp: alice@work.example, alice@example.org and the
/// revoked old@example.org).
/// </summary>
public sealed class WkdViewTests
{
    private const string Alice = "kei1q4tipxxu1yj79k9kfukdhfy631xe";

    private static IReadOnlyList<string> UserIds(byte[] answer) =>
        KeyRings.ReadPublic(answer).Single().GetPublicKey().GetUserIds().ToList();

    [Fact]
    public async Task Answer_PublishedAddress_OnlyThatUserIdWithSubkeys()
    {
        var record = await TestVectors.StoredAsync("rsa-alice.pgp");

        var answer = WkdView.Answer([record], "example.org", Alice);

        Assert.NotNull(answer);
        Assert.Equal(["Alice Example <alice@example.org>"], UserIds(answer));
        var ring = KeyRings.ReadPublic(answer).Single();
        Assert.Equal(TestVectors.AliceFingerprint, KeyRings.Fingerprint(ring.GetPublicKey()));
        Assert.Equal(2, ring.GetPublicKeys().Count());
    }

    [Fact]
    public async Task Answer_OtherDomainOrHash_Null()
    {
        var record = await TestVectors.StoredAsync("rsa-alice.pgp");

        Assert.Equal(["Alice Work <alice@work.example>"], UserIds(WkdView.Answer([record], "work.example", Alice)!));
        Assert.Null(WkdView.Answer([record], "example.net", Alice));
        Assert.Null(WkdView.Answer([record], "example.org", WkdHash.Of("bob")));
    }

    [Fact]
    public async Task Answer_IdentityRevokedByOwner_NeverServed()
    {
        var record = await TestVectors.StoredAsync("rsa-alice.pgp");

        Assert.Null(WkdView.Answer([record], "example.org", WkdHash.Of("old")));
    }

    [Theory]
    [InlineData(IdentityState.Pending)]
    [InlineData(IdentityState.Unpublished)]
    public async Task Answer_NotPublished_Null(IdentityState state)
    {
        var record = await TestVectors.StoredAsync("rsa-alice.pgp");
        var changed = KeyRecordBuilder.WithStates(record, i => i.Email == "alice@example.org" ? state : i.State, TestVectors.Now);

        Assert.Null(WkdView.Answer([changed], "example.org", Alice));
        Assert.NotNull(WkdView.Answer([changed], "work.example", Alice));
    }

    [Fact]
    public async Task Answer_PendingUpload_Null()
    {
        var record = await TestVectors.StoredAsync("rsa-alice.pgp", PublicationMode.Email);

        Assert.Null(WkdView.Answer([record], "example.org", Alice));
    }

    [Fact]
    public void Answer_NonAsciiCapitals_ServedUnderGpgAndSqHash()
    {
        var primary = Crafted.NewKeyPair();
        var record = KeyRecordBuilder.Build(Crafted.NewKey(primary, "Jörg <JÖRG@example.org>"), null, PublicationMode.None, false, TestVectors.Now);

        Assert.NotNull(WkdView.Answer([record], "example.org", "w77p6y3jz34qfi4fgwkgaw3oeumka146"));
        Assert.NotNull(WkdView.Answer([record], "example.org", "h8ghzysw1a49fnopr45hii67zzgshjt8"));
        Assert.True(WkdView.Serves(record, record.Identities.Single(), "EXAMPLE.ORG", "h8ghzysw1a49fnopr45hii67zzgshjt8"));
    }

    [Fact]
    public void Answer_TwoKeysForOneAddress_Concatenated()
    {
        var first = KeyRecordBuilder.Build(Crafted.NewKey(Crafted.NewKeyPair(), "joe@example.org"), null, PublicationMode.None, false, TestVectors.Now);
        var second = KeyRecordBuilder.Build(Crafted.NewKey(Crafted.NewKeyPair(), "Joe <Joe@example.org>"), null, PublicationMode.None, false, TestVectors.Now);

        var answer = WkdView.Answer([first, second], "example.org", WkdHash.Of("joe"));

        Assert.Equal(
            new[] { first.Fingerprint, second.Fingerprint }.Order(StringComparer.Ordinal),
            KeyRings.Fingerprints(answer!).Order(StringComparer.Ordinal));
    }
}
