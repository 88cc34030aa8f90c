namespace Keyserver.Core.Tests.Keys;

/// <summary>
/// Records built from the vectors in TestData (facts in TestData/README.md). The full keys come from
/// the ingest pipeline, as in production.
/// </summary>
public sealed class KeyRecordBuilderTests
{
    private static readonly DateTimeOffset Later = TestVectors.Now.AddDays(1);

    [Fact]
    public async Task Build_Alice_KeyFacts()
    {
        var record = await TestVectors.StoredAsync("rsa-alice.pgp");

        Assert.Equal(TestVectors.AliceFingerprint, record.Fingerprint);
        Assert.Equal(4, record.Version);
        Assert.Equal(1, record.Primary.Algorithm);
        Assert.Equal(2048, record.Primary.Bits);
        Assert.Null(record.Primary.Curve);
        Assert.Equal(record.Primary.Created.AddDays(730), record.Primary.Expires);
        Assert.Null(record.Primary.Revoked);
        var subkey = Assert.Single(record.Subkeys);
        Assert.Equal("E94B5D66ED871238", subkey.KeyId);
        Assert.Equal(subkey.Info.Created.AddDays(365), subkey.Info.Expires);
        Assert.Equal(TestVectors.Now, record.FirstSeen);
        Assert.Equal(TestVectors.Now, record.LastModified);
    }

    [Fact]
    public async Task Build_Alice_Indexes()
    {
        var record = await TestVectors.StoredAsync("rsa-alice.pgp");

        Assert.Equal([TestVectors.AliceFingerprint, TestVectors.AliceSigningSubkey], record.Fingerprints);
        Assert.Equal(["36B1D1D69AA763BC", "E94B5D66ED871238"], record.KeyIds);
        Assert.Equal(["9AA763BC", "ED871238"], record.ShortKeyIds);
        Assert.Equal(["alice@work.example", "alice@example.org", "old@example.org"], record.PublishedEmails);
        Assert.Equal(["alice", "work", "example", "org", "old"], record.PublishedWords);
    }

    [Fact]
    public async Task Build_Alice_IdentitiesWithRevokedOne()
    {
        var record = await TestVectors.StoredAsync("rsa-alice.pgp");

        Assert.Equal(3, record.Identities.Count);
        var old = record.Identities.Single(i => i.UserId == "Alice Old <old@example.org>");
        Assert.NotNull(old.Revoked);
        Assert.Equal(32, old.Revoked.ReasonCode);
        Assert.Equal(IdentityStatus.Revoked, old.Status);
        var work = record.Identities.Single(i => i.UserId == "Alice Work <alice@work.example>");
        Assert.Equal("alice@work.example", work.Email);
        Assert.Null(work.Revoked);
        Assert.Equal(IdentityStatus.Published, work.Status);
        Assert.Equal(record.Primary.Expires, work.Expires);
    }

    [Theory]
    [InlineData("dsa-elg-dave.asc", 17, 2048, null, 16, 2048, KeyUsage.EncryptCommunications | KeyUsage.EncryptStorage)]
    [InlineData("nistp256-nina.asc", 19, 256, "NIST P-256", 18, 256, KeyUsage.EncryptCommunications | KeyUsage.EncryptStorage)]
    [InlineData("nistp384-paul.asc", 19, 384, "NIST P-384", 18, 384, KeyUsage.EncryptCommunications | KeyUsage.EncryptStorage)]
    [InlineData("brainpool-bruno.asc", 19, 256, "brainpoolP256r1", 18, 256, KeyUsage.EncryptCommunications | KeyUsage.EncryptStorage)]
    [InlineData("ed25519-eve.asc", 22, 256, "Ed25519", 18, 256, KeyUsage.EncryptCommunications | KeyUsage.EncryptStorage)]
    public async Task Build_Vectors_AlgorithmsAndSizes(string file, int algorithm, int bits, string? curve, int subAlgorithm, int subBits, KeyUsage usage)
    {
        var record = await TestVectors.StoredAsync(file);

        Assert.Equal((algorithm, bits, curve), (record.Primary.Algorithm, record.Primary.Bits, record.Primary.Curve));
        Assert.Null(record.Primary.Expires);
        var subkey = Assert.Single(record.Subkeys);
        Assert.Equal((subAlgorithm, subBits), (subkey.Info.Algorithm, subkey.Info.Bits));
        Assert.Equal(usage, subkey.Usage);
    }

    [Fact]
    public async Task Build_PublishedView_ReadableByBouncyCastle()
    {
        var record = await TestVectors.StoredAsync("rsa-alice.pgp");

        var ring = new PgpPublicKeyRing(record.Published!);
        Assert.Equal(TestVectors.AliceFingerprint, Convert.ToHexString(ring.GetPublicKey().GetFingerprint()));
        Assert.Equal(3, ring.GetPublicKey().GetUserIds().Count());

        using var armored = PgpUtilities.GetDecoderStream(new MemoryStream(record.PublishedArmored!));
        Assert.Equal(ring.GetEncoded(), new PgpPublicKeyRing(armored).GetEncoded());
    }

    [Fact]
    public async Task Build_EmailMode_PendingAndNotPublished()
    {
        var record = await TestVectors.StoredAsync("rsa-alice.pgp", PublicationMode.Email);

        Assert.All(record.Identities, i => Assert.Equal(IdentityState.Pending, i.State));
        Assert.All(record.Identities, i => Assert.Equal(IdentityStatus.Pending, i.Status));
        Assert.Null(record.Published);
        Assert.Null(record.PublishedArmored);
        Assert.False(record.IsPublished);
        Assert.Empty(record.PublishedEmails);
        Assert.Empty(record.PublishedWords);
        // The indexes for key IDs do not depend on publication.
        Assert.Equal(2, record.KeyIds.Count);
    }

    [Fact]
    public async Task WithStates_PublishOne_OnlyThatIdentityInPublishedBytes()
    {
        var pending = await TestVectors.StoredAsync("rsa-alice.pgp", PublicationMode.Email);

        var record = KeyRecordBuilder.WithStates(pending,
            i => i.Email == "alice@example.org" ? IdentityState.Published : i.State, Later);

        var published = PacketReader.Split(record.Published, out _);
        var userIds = published.Where(p => p.Tag == Packet.UserId).Select(p => Encoding.UTF8.GetString(p.Body.Span));
        Assert.Equal(["Alice Example <alice@example.org>"], userIds);
        Assert.Contains(published, p => p.Tag == Packet.PublicSubkey);
        Assert.Equal(["alice@example.org"], record.PublishedEmails);
        Assert.Equal(["alice", "example", "org"], record.PublishedWords);
        Assert.Equal(pending.FullKey, record.FullKey);
        Assert.Equal(pending.FirstSeen, record.FirstSeen);
        Assert.Equal(Later, record.LastModified);
        var changed = record.Identities.Single(i => i.Email == "alice@example.org");
        Assert.Equal(Later, changed.StateChanged);
        Assert.All(record.Identities.Where(i => i != changed), i => Assert.Equal(TestVectors.Now, i.StateChanged));
    }

    [Fact]
    public async Task WithStates_NothingChanges_SameInstance()
    {
        var record = await TestVectors.StoredAsync("rsa-alice.pgp");

        Assert.Same(record, KeyRecordBuilder.WithStates(record, i => i.State, Later));
    }

    [Fact]
    public async Task WithStates_UnpublishAll_NotServed()
    {
        var record = await TestVectors.StoredAsync("rsa-alice.pgp");

        var hidden = KeyRecordBuilder.WithStates(record, _ => IdentityState.Unpublished, Later);

        Assert.Null(hidden.Published);
        Assert.Empty(hidden.PublishedEmails);
        Assert.All(hidden.Identities, i => Assert.Equal(IdentityStatus.Unpublished, i.Status));
    }

    [Fact]
    public async Task Build_WithPrevious_KeepsStatesAndFirstSeen()
    {
        var previous = KeyRecordBuilder.WithStates(await TestVectors.StoredAsync("rsa-alice.pgp", PublicationMode.Email),
            i => i.Email == "alice@work.example" ? IdentityState.Published : IdentityState.Pending, TestVectors.Now);

        var record = KeyRecordBuilder.Build(previous.FullKey, previous, PublicationMode.Email, false, Later);

        Assert.Equal(TestVectors.Now, record.FirstSeen);
        Assert.Equal(Later, record.LastModified);
        Assert.Equal(previous.Identities.Select(i => (i.UserId, i.State, i.StateChanged)), record.Identities.Select(i => (i.UserId, i.State, i.StateChanged)));
    }

    [Fact]
    public async Task Build_PublishAllInEmailMode_NewIdentitiesPublished()
    {
        var full = (await TestVectors.StoredAsync("rsa-alice.pgp")).FullKey;

        var record = KeyRecordBuilder.Build(full, null, PublicationMode.Email, true, TestVectors.Now);

        Assert.All(record.Identities, i => Assert.Equal(IdentityState.Published, i.State));
    }

    [Fact]
    public void Build_NonUtf8UserId_ReplacementCharacters()
    {
        var packets = TestVectors.Packets("ed25519-eve.asc");
        packets[1] = new Packet(Packet.UserId, new byte[] { 0x4A, 0xF6, 0x72, 0x67, 0x20, 0x3C, 0x6A, 0x40, 0x65, 0x2E, 0x6F, 0x72, 0x67, 0x3E });

        var record = KeyRecordBuilder.Build(TestVectors.Join(packets), null, PublicationMode.None, false, TestVectors.Now);

        var identity = Assert.Single(record.Identities);
        Assert.Equal("J\uFFFDrg <j@e.org>", identity.UserId);
        Assert.Equal("j@e.org", identity.Email);
        Assert.Equal(["j", "rg", "e", "org"], record.PublishedWords);
    }

    [Fact]
    public void Build_MalformedFullKey_Throws()
    {
        Assert.Throws<InvalidDataException>(() => KeyRecordBuilder.Build([0x41, 0x42], null, PublicationMode.None, false, TestVectors.Now));
        Assert.Throws<InvalidDataException>(() => KeyRecordBuilder.Build(TestVectors.Packets("ed25519-eve.asc")[1].ToArray(), null, PublicationMode.None, false, TestVectors.Now));
    }

    [Fact]
    public void Build_ThirdPartyCertificationInFullKey_DoesNotCountForValidity()
    {
        // Only Alice's certification on the user ID: the identity has no self-signature and is absent.
        var packets = TestVectors.Packets("ed25519-eve-certified-by-alice.asc");
        var primary = KeyPacketInfo.Parse(packets[0].Body.Span, out _)!;
        var kept = packets.Where(p => p.Tag != Packet.Signature || SignatureInfo.Parse(p.Body)!.Type != 0x13
            || !SignatureInfo.Parse(p.Body)!.IssuedBy(primary.Fingerprint, primary.KeyId)).ToList();

        var record = KeyRecordBuilder.Build(TestVectors.Join(kept), null, PublicationMode.None, false, TestVectors.Now);

        Assert.Empty(record.Identities);
        Assert.Null(record.Published);
    }
}
