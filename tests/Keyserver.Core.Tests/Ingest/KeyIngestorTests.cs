namespace Keyserver.Core.Tests.Ingest;

public sealed class KeyIngestorTests
{
    private readonly InMemoryKeyStore _store = new();

    private Task<IngestReport> IngestAsync(byte[] input, PublicationMode mode = PublicationMode.None, KeyLimits? limits = null, bool publishAll = false) =>
        TestVectors.Ingestor(_store, mode, limits).IngestAsync(input, new IngestOptions(publishAll));

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    [Theory]
    [InlineData("rsa-alice.pgp", TestVectors.AliceFingerprint)]
    [InlineData("dsa-elg-dave.asc", TestVectors.DaveFingerprint)]
    [InlineData("nistp256-nina.asc", TestVectors.NinaFingerprint)]
    [InlineData("nistp384-paul.asc", TestVectors.PaulFingerprint)]
    [InlineData("brainpool-bruno.asc", TestVectors.BrunoFingerprint)]
    [InlineData("ed25519-eve.asc", TestVectors.EveFingerprint)]
    [InlineData("expired-oldtimer.asc", TestVectors.OldTimerFingerprint)]
    public async Task Ingest_GpgKey_AddedWithEverythingValid(string file, string fingerprint)
    {
        var report = await IngestAsync(TestVectors.Read(file));

        var outcome = Assert.Single(report.Keys);
        Assert.Empty(report.Errors);
        Assert.Equal(KeyOutcomeKind.Added, outcome.Kind);
        Assert.Equal(fingerprint, outcome.Fingerprint);
        Assert.Empty(outcome.Dropped);
        Assert.True(report.AnyAccepted);
        var record = (await _store.GetAsync(fingerprint))!;
        // Nothing was dropped, so the stored key holds every packet of the upload.
        Assert.Equal(TestVectors.Packets(file).Count, PacketReader.Split(record.FullKey, out _).Count);
    }

    [Fact]
    public async Task Ingest_NewKey_NewIdentitiesListed()
    {
        var report = await IngestAsync(TestVectors.Read("rsa-alice.pgp"));

        Assert.Equal(
            ["Alice Work <alice@work.example>", "Alice Example <alice@example.org>", "Alice Old <old@example.org>"],
            report.Keys[0].NewIdentities.Select(i => i.UserId));
    }

    [Fact]
    public async Task Ingest_SameKeyTwice_SecondUnchanged()
    {
        await IngestAsync(TestVectors.Read("rsa-alice.pgp"));
        var before = await _store.GetAsync(TestVectors.AliceFingerprint);

        var report = await IngestAsync(TestVectors.Read("rsa-alice.pgp"));

        Assert.Equal(KeyOutcomeKind.Unchanged, report.Keys[0].Kind);
        Assert.Empty(report.Keys[0].NewIdentities);
        Assert.Same(before, await _store.GetAsync(TestVectors.AliceFingerprint));
    }

    [Fact]
    public async Task Ingest_SameKeyTwiceInOneUpload_AddedThenUnchanged()
    {
        var key = TestVectors.Binary("ed25519-eve.asc");

        var report = await IngestAsync([.. key, .. key]);

        Assert.Equal([KeyOutcomeKind.Added, KeyOutcomeKind.Unchanged], report.Keys.Select(k => k.Kind));
    }

    [Fact]
    public async Task Ingest_BinaryAndArmoredForms_SameStoredKey()
    {
        var armored = await TestVectors.StoredAsync("ed25519-eve.asc");

        await IngestAsync(TestVectors.Binary("ed25519-eve.asc"));

        Assert.Equal(armored.FullKey, (await _store.GetAsync(TestVectors.EveFingerprint))!.FullKey);
    }

    [Fact]
    public async Task Ingest_SeveralArmorBlocksWithText_AllAdded()
    {
        var input = "keys:\n" + Encoding.ASCII.GetString(TestVectors.Read("ed25519-eve.asc")) + "\nand\n"
            + Encoding.ASCII.GetString(TestVectors.Read("nistp256-nina.asc")).TrimEnd('\n');

        var report = await IngestAsync(Ascii(input));

        Assert.Empty(report.Errors);
        Assert.Equal([TestVectors.EveFingerprint, TestVectors.NinaFingerprint], report.Keys.Select(k => k.Fingerprint));
        Assert.All(report.Keys, k => Assert.Equal(KeyOutcomeKind.Added, k.Kind));
    }

    [Fact]
    public async Task Ingest_ConcatenatedBinaryKeys_AllAdded()
    {
        byte[] input = [.. TestVectors.Read("rsa-alice.pgp"), .. TestVectors.Binary("dsa-elg-dave.asc"), .. TestVectors.Binary("brainpool-bruno.asc")];

        var report = await IngestAsync(input);

        Assert.Equal(3, report.Keys.Count(k => k.Kind == KeyOutcomeKind.Added));
        Assert.Equal(3, _store.Count);
    }

    [Fact]
    public async Task Ingest_OneArmorBlockWithSeveralKeys_AllAdded()
    {
        var input = KeyArmor.Armor([TestVectors.Binary("ed25519-eve.asc"), TestVectors.Binary("nistp384-paul.asc")]);

        var report = await IngestAsync(input);

        Assert.Equal(2, report.Keys.Count(k => k.Kind == KeyOutcomeKind.Added));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    [InlineData("hello world")]
    [InlineData("-----BEGIN PGP PUBLIC KEY BLOCK")]
    public async Task Ingest_NoOpenPgpData_ErrorAndNoKeys(string input)
    {
        var report = await IngestAsync(Ascii(input));

        Assert.Empty(report.Keys);
        Assert.NotEmpty(report.Errors);
        Assert.False(report.AnyAccepted);
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task Ingest_EmptyInput_SaysNoOpenPgpData() =>
        Assert.Equal(["no OpenPGP data found"], (await IngestAsync([])).Errors);

    [Fact]
    public async Task Ingest_RandomBinary_ErrorNoCrash()
    {
        var random = new Random(42);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(1, 400)];
            random.NextBytes(bytes);
            bytes[0] |= 0x80;

            var report = await IngestAsync(bytes);

            Assert.All(report.Keys, k => Assert.Equal(KeyOutcomeKind.Rejected, k.Kind));
        }
    }

    public static TheoryData<string> KeysToFlip => new()
    {
        "rsa-alice.pgp",
        "dsa-elg-dave.asc",
        "nistp384-paul.asc",
        "ed25519-eve-certified-by-alice.asc",
    };

    [Theory]
    [MemberData(nameof(KeysToFlip))]
    public async Task Ingest_RandomByteFlips_NeverThrowsNeverStoresBrokenSignatures(string file)
    {
        var key = TestVectors.Binary(file);
        var random = new Random(7);
        for (var i = 0; i < 150; i++)
        {
            var mutated = (byte[])key.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] ^= (byte)random.Next(1, 256);
            }

            var store = new InMemoryKeyStore();
            var report = await TestVectors.Ingestor(store).IngestAsync(mutated, new IngestOptions());

            // Whatever was stored must still pass the whole pipeline unchanged: nothing invalid got in.
            foreach (var outcome in report.Keys.Where(k => k.Kind == KeyOutcomeKind.Added))
            {
                var stored = (await store.GetAsync(outcome.Fingerprint!))!;
                var again = await TestVectors.Ingestor(new InMemoryKeyStore()).IngestAsync(stored.FullKey, new IngestOptions());
                Assert.Equal(KeyOutcomeKind.Added, again.Keys[0].Kind);
                Assert.Empty(again.Keys[0].Dropped);
            }
        }
    }

    [Fact]
    public async Task Ingest_EveryTruncationOfAKey_NoCrash()
    {
        var key = TestVectors.Binary("ed25519-eve.asc");
        for (var length = 1; length < key.Length; length++)
        {
            var report = await IngestAsync(key[..length]);

            Assert.True(report.Errors.Count > 0 || report.Keys.Count > 0);
        }
    }

    [Fact]
    public async Task Ingest_BadArmorChecksum_ErrorAndNoKeys()
    {
        var text = Encoding.ASCII.GetString(TestVectors.Read("ed25519-eve.asc"));
        var lines = text.Split('\n');
        var crc = Array.FindIndex(lines, l => l.StartsWith('=') && l.Length == 5);
        lines[crc] = lines[crc] == "=AAAA" ? "=BBBB" : "=AAAA";

        var report = await IngestAsync(Ascii(string.Join('\n', lines)));

        Assert.Empty(report.Keys);
        Assert.Contains(report.Errors, e => e.Contains("bad checksum", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ingest_TruncatedBinary_ErrorReported()
    {
        var key = TestVectors.Read("rsa-alice.pgp");

        var report = await IngestAsync(key[..^20]);

        Assert.Contains(report.Errors, e => e.Contains("truncated packet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ingest_ArmoredMessage_Error()
    {
        var report = await IngestAsync(Ascii("-----BEGIN PGP MESSAGE-----\n\nowE=\n-----END PGP MESSAGE-----\n"));

        Assert.Contains("armor block 'MESSAGE' is not a key", report.Errors);
        Assert.Empty(report.Keys);
    }

    [Fact]
    public async Task Ingest_SecretKey_Rejected()
    {
        var report = await IngestAsync(TestVectors.Read("ed25519-eve-secret.asc"));

        var outcome = Assert.Single(report.Keys);
        Assert.Equal(KeyOutcomeKind.Rejected, outcome.Kind);
        Assert.Equal("secret key material is never accepted", outcome.Reason);
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task Ingest_PublicKeyWithSecretSubkeyPacket_Rejected()
    {
        var packets = TestVectors.Packets("ed25519-eve.asc");
        packets.Add(new Packet(Packet.SecretSubkey, new byte[] { 4, 0, 0, 0, 0, 22 }));

        var report = await IngestAsync(TestVectors.Join(packets));

        Assert.Equal("secret key material is never accepted", report.Keys[0].Reason);
    }

    [Fact]
    public async Task Ingest_KeyLargerThanLimit_Rejected()
    {
        var report = await IngestAsync(TestVectors.Read("rsa-alice.pgp"), limits: new KeyLimits { MaxKeyBytes = 1000 });

        Assert.Equal("key exceeds 1000 bytes", report.Keys[0].Reason);
        Assert.Equal(TestVectors.AliceFingerprint, report.Keys[0].Fingerprint);
    }

    [Theory]
    [InlineData("rsa-alice.pgp", nameof(KeyLimits.MaxPacketBytes), 100, "primary key packet exceeds 100 bytes")]
    [InlineData("rsa-alice.pgp", nameof(KeyLimits.MaxUserIds), 2, "key has 3 user IDs (limit 2)")]
    [InlineData("ed25519-eve.asc", nameof(KeyLimits.MaxSubkeys), 0, "key has 1 subkeys (limit 0)")]
    public async Task Ingest_KeyOverALimit_RejectedWithReason(string vector, string limit, int value, string reason)
    {
        var limits = limit switch
        {
            nameof(KeyLimits.MaxPacketBytes) => new KeyLimits { MaxPacketBytes = value },
            nameof(KeyLimits.MaxUserIds) => new KeyLimits { MaxUserIds = value },
            _ => new KeyLimits { MaxSubkeys = value },
        };

        var report = await IngestAsync(TestVectors.Read(vector), limits: limits);

        Assert.Equal(reason, report.Keys[0].Reason);
    }

    [Fact]
    public async Task Ingest_OversizeUserIdPacket_DroppedAndReported()
    {
        var packets = TestVectors.Packets("ed25519-eve.asc");
        packets.Insert(1, new Packet(Packet.UserId, Encoding.UTF8.GetBytes(new string('x', 300))));

        var report = await IngestAsync(TestVectors.Join(packets), limits: new KeyLimits { MaxPacketBytes = 200 });

        Assert.Equal(KeyOutcomeKind.Added, report.Keys[0].Kind);
        Assert.Contains("1 oversize packet (300 bytes > 200)", report.Keys[0].Dropped);
    }

    [Fact]
    public async Task Ingest_UserIdLongerThanLimit_DroppedWithItsSignatures()
    {
        var report = await IngestAsync(TestVectors.Read("rsa-alice.pgp"), limits: new KeyLimits { MaxUserIdBytes = 32 });

        Assert.Contains("1 oversize user ID (33 bytes > 32)", report.Keys[0].Dropped);
        var record = (await _store.GetAsync(TestVectors.AliceFingerprint))!;
        Assert.DoesNotContain(record.Identities, i => i.UserId.StartsWith("Alice Example", StringComparison.Ordinal));
        Assert.Equal(2, record.Identities.Count);
    }

    [Fact]
    public async Task Ingest_OversizeSignatures_DroppedAndKeyLeftWithNothingRejected()
    {
        var report = await IngestAsync(TestVectors.Read("ed25519-eve.asc"), limits: new KeyLimits { MaxSignaturePacketBytes = 50 });

        var outcome = report.Keys[0];
        Assert.Equal(KeyOutcomeKind.Rejected, outcome.Kind);
        Assert.Equal("no valid self-signed user ID or direct-key signature left", outcome.Reason);
        Assert.Contains("2 oversize signature packets (> 50 bytes)", outcome.Dropped);
    }

    [Fact]
    public async Task Ingest_MergeWouldExceedUserIdLimit_Rejected()
    {
        var packets = TestVectors.Packets("rsa-alice.pgp");
        await IngestAsync(TestVectors.Join(packets.Take(3)), limits: new KeyLimits { MaxUserIds = 2 });

        var report = await IngestAsync(TestVectors.Join(packets.Where((_, i) => i is 0 or 3 or 4 or 5 or 6 or 7)), limits: new KeyLimits { MaxUserIds = 2 });

        Assert.Equal("the key would have 3 user IDs (limit MaxUserIds = 2)", report.Keys[0].Reason);
    }

    [Fact]
    public async Task Ingest_UserIdWithBadSelfSignature_Dropped()
    {
        var packets = TestVectors.Packets("rsa-alice.pgp");
        packets[2] = TestVectors.Corrupt(packets[2]);

        var report = await IngestAsync(TestVectors.Join(packets));

        var outcome = report.Keys[0];
        Assert.Equal(KeyOutcomeKind.Added, outcome.Kind);
        Assert.Contains("user ID 'Alice Work <alice@work.example>': no valid self-signature", outcome.Dropped);
        Assert.Contains("1 invalid self-signature", outcome.Dropped);
        var record = (await _store.GetAsync(TestVectors.AliceFingerprint))!;
        Assert.DoesNotContain(record.Identities, i => i.UserId == "Alice Work <alice@work.example>");
    }

    public static TheoryData<string> KeysWithUserIdSignature => new()
    {
        "dsa-elg-dave.asc",
        "nistp256-nina.asc",
        "nistp384-paul.asc",
        "brainpool-bruno.asc",
        "ed25519-eve.asc",
    };

    [Theory]
    [MemberData(nameof(KeysWithUserIdSignature))]
    public async Task Ingest_OnlyUserIdSignatureCorrupted_Rejected(string file)
    {
        var packets = TestVectors.Packets(file);
        packets[2] = TestVectors.Corrupt(packets[2]);

        var report = await IngestAsync(TestVectors.Join(packets));

        Assert.Equal("no valid self-signed user ID or direct-key signature left", report.Keys[0].Reason);
    }

    [Fact]
    public async Task Ingest_SubkeyWithBadBinding_Dropped()
    {
        var packets = TestVectors.Packets("dsa-elg-dave.asc");
        packets[^1] = TestVectors.Corrupt(packets[^1]);

        var report = await IngestAsync(TestVectors.Join(packets));

        Assert.Contains("subkey 0xFEB8324B1D6B5B0D: no valid binding", report.Keys[0].Dropped);
        Assert.Empty((await _store.GetAsync(TestVectors.DaveFingerprint))!.Subkeys);
    }

    [Fact]
    public async Task Ingest_SigningSubkeyWithBackSignature_Kept()
    {
        var primary = Crafted.NewKeyPair();
        var key = Crafted.WithSigningSubkey(Crafted.NewKey(primary, "Sid <sid@example.org>"), primary, backSignature: true);

        var report = await IngestAsync(key);

        Assert.Empty(report.Keys[0].Dropped);
        var record = (await _store.GetAsync(report.Keys[0].Fingerprint!))!;
        Assert.Equal(KeyUsage.Sign, Assert.Single(record.Subkeys).Usage);
    }

    [Fact]
    public async Task Ingest_SigningSubkeyWithoutBackSignature_Dropped()
    {
        var primary = Crafted.NewKeyPair();
        var key = Crafted.WithSigningSubkey(Crafted.NewKey(primary, "Sid <sid@example.org>"), primary, backSignature: false);

        var report = await IngestAsync(key);

        Assert.Contains(report.Keys[0].Dropped, d => d.StartsWith("subkey 0x", StringComparison.Ordinal) && d.EndsWith(": no valid binding", StringComparison.Ordinal));
        Assert.Empty((await _store.GetAsync(report.Keys[0].Fingerprint!))!.Subkeys);
    }

    [Fact]
    public async Task Ingest_AliceSigningSubkeyFromGpg_KeptWithSignUsage()
    {
        await IngestAsync(TestVectors.Read("rsa-alice.pgp"));

        var subkey = Assert.Single((await _store.GetAsync(TestVectors.AliceFingerprint))!.Subkeys);

        Assert.Equal(TestVectors.AliceSigningSubkey, subkey.Fingerprint);
        Assert.Equal(KeyUsage.Sign, subkey.Usage);
    }

    [Fact]
    public async Task Ingest_ThirdPartyCertification_DroppedAndCounted()
    {
        var report = await IngestAsync(TestVectors.Read("ed25519-eve-certified-by-alice.asc"));

        Assert.Equal(["1 third-party certification"], report.Keys[0].Dropped);
        var record = (await _store.GetAsync(TestVectors.EveFingerprint))!;
        Assert.Equal(TestVectors.Packets("ed25519-eve.asc").Count, PacketReader.Split(record.FullKey, out _).Count);
    }

    [Fact]
    public async Task Ingest_ThirdPartyCertificationKeptByPolicy_StoredAndPublished()
    {
        var report = await IngestAsync(TestVectors.Read("ed25519-eve-certified-by-alice.asc"), limits: new KeyLimits { KeepThirdPartyCertifications = true });

        Assert.Empty(report.Keys[0].Dropped);
        var record = (await _store.GetAsync(TestVectors.EveFingerprint))!;
        var certified = TestVectors.Packets("ed25519-eve-certified-by-alice.asc").Count;
        Assert.Equal(certified, PacketReader.Split(record.FullKey, out _).Count);
        Assert.Equal(certified, PacketReader.Split(record.Published, out _).Count);
    }

    [Fact]
    public async Task Ingest_UserAttribute_DroppedAndCounted()
    {
        var packets = TestVectors.Packets("ed25519-eve.asc");
        packets.Insert(3, new Packet(Packet.UserAttribute, new byte[] { 0x10, 0x01, 0x01, 0x00 }));
        packets.Insert(4, packets[2]);

        var report = await IngestAsync(TestVectors.Join(packets));

        Assert.Equal(["1 user attribute (photo ID)"], report.Keys[0].Dropped);
    }

    [Fact]
    public async Task Ingest_UserAttributeKeptByPolicyWithoutValidSignature_Dropped()
    {
        var packets = TestVectors.Packets("ed25519-eve.asc");
        packets.Insert(3, new Packet(Packet.UserAttribute, new byte[] { 0x10, 0x01, 0x01, 0x00 }));
        packets.Insert(4, packets[2]);

        var report = await IngestAsync(TestVectors.Join(packets), limits: new KeyLimits { KeepUserAttributes = true });

        Assert.Contains("user attribute: no valid self-signature", report.Keys[0].Dropped);
    }

    [Fact]
    public async Task Ingest_UnparseableSignature_DroppedKeyKept()
    {
        var packets = TestVectors.Packets("ed25519-eve.asc");
        packets.Insert(3, new Packet(Packet.Signature, new byte[] { 9, 9, 9 }));

        var report = await IngestAsync(TestVectors.Join(packets));

        Assert.Equal(KeyOutcomeKind.Added, report.Keys[0].Kind);
        Assert.Equal(["1 unparseable signature"], report.Keys[0].Dropped);
    }

    [Fact]
    public async Task Ingest_UnexpectedPacketInKey_DroppedAndCounted()
    {
        var packets = TestVectors.Packets("ed25519-eve.asc");
        packets.Insert(1, new Packet(11, new byte[] { 1, 2, 3 }));
        packets.Insert(1, new Packet(Packet.Trust, new byte[] { 0 }));

        var report = await IngestAsync(TestVectors.Join(packets));

        Assert.Equal(["1 unexpected packet"], report.Keys[0].Dropped);
    }

    [Fact]
    public async Task Ingest_MisplacedSignatureType_Dropped()
    {
        var packets = TestVectors.Packets("ed25519-eve.asc");
        // A user ID certification moved onto the subkey.
        packets.Add(packets[2]);

        var report = await IngestAsync(TestVectors.Join(packets));

        Assert.Equal(["1 misplaced signature"], report.Keys[0].Dropped);
    }

    [Fact]
    public async Task Ingest_Version3Key_Rejected()
    {
        var key = new Packet(Packet.PublicKey, new byte[] { 3, 0, 0, 0, 0, 0, 0, 1, 0, 8, 0xFF, 0, 8, 3 }).ToArray();

        var report = await IngestAsync(key);

        Assert.Equal("unsupported key version 3", report.Keys[0].Reason);
        Assert.Null(report.Keys[0].Fingerprint);
    }

    [Fact]
    public async Task Ingest_PacketsBeforeAnyKey_Error()
    {
        var packets = TestVectors.Packets("ed25519-eve.asc");

        var report = await IngestAsync(TestVectors.Join(packets.Skip(1).Take(1).Concat(packets)));

        Assert.Contains("1 packets outside any key were ignored", report.Errors);
        Assert.Equal(KeyOutcomeKind.Added, report.Keys[0].Kind);
    }

    [Fact]
    public async Task Ingest_UnknownPublicKeyAlgorithm_Rejected()
    {
        var packets = TestVectors.Packets("ed25519-eve.asc");
        var primary = packets[0].Body.ToArray();
        primary[5] = 99;
        packets[0] = packets[0] with { Body = primary };

        var report = await IngestAsync(TestVectors.Join(packets));

        Assert.Equal("unsupported public-key algorithm 99", report.Keys[0].Reason);
    }

    [Fact]
    public async Task Ingest_MissingUserIdAddedLater_UpdatedWithNewIdentity()
    {
        var packets = TestVectors.Packets("rsa-alice.pgp");
        await IngestAsync(TestVectors.Join(packets.Where((_, i) => i is not (1 or 2))));

        var report = await IngestAsync(TestVectors.Read("rsa-alice.pgp"));

        var outcome = report.Keys[0];
        Assert.Equal(KeyOutcomeKind.Updated, outcome.Kind);
        Assert.Equal("Alice Work <alice@work.example>", Assert.Single(outcome.NewIdentities).UserId);
        Assert.Equal(3, (await _store.GetAsync(TestVectors.AliceFingerprint))!.Identities.Count);
    }

    [Fact]
    public async Task Ingest_MergeOfPartialUploads_EqualsFullUpload()
    {
        var packets = TestVectors.Packets("rsa-alice.pgp");
        await IngestAsync(TestVectors.Join(packets.Take(5)));
        await IngestAsync(TestVectors.Join(packets.Take(1).Concat(packets.Skip(5))));
        var merged = (await _store.GetAsync(TestVectors.AliceFingerprint))!.FullKey;

        var full = await TestVectors.StoredAsync("rsa-alice.pgp");

        Assert.Equal(full.FullKey.Length, merged.Length);
        Assert.Equal(
            PacketReader.Split(full.FullKey, out _).Select(p => Convert.ToHexString(p.Body.Span)).Order(),
            PacketReader.Split(merged, out _).Select(p => Convert.ToHexString(p.Body.Span)).Order());
    }

    [Fact]
    public async Task Ingest_SignatureAlreadyStored_NotVerifiedAgain()
    {
        // A stored record whose user ID signature would no longer verify: the ingestor must trust what
        // it stored before and not spend a verification on it (nor drop it).
        var packets = TestVectors.Packets("ed25519-eve.asc");
        packets.Insert(3, TestVectors.Corrupt(packets[2]));
        var stored = KeyRecordBuilder.Build(TestVectors.Join(packets), null, PublicationMode.None, false, TestVectors.Now);
        await _store.UpdateAsync(stored.Fingerprint, _ => stored);

        var report = await IngestAsync(TestVectors.Join(packets));

        Assert.Equal(KeyOutcomeKind.Unchanged, report.Keys[0].Kind);
        Assert.Empty(report.Keys[0].Dropped);
    }

    [Fact]
    public async Task Ingest_ThirdPartyCertificationOnStoredKey_Updated()
    {
        await IngestAsync(TestVectors.Read("ed25519-eve.asc"));

        var report = await IngestAsync(TestVectors.Read("ed25519-eve-certified-by-alice.asc"), limits: new KeyLimits { KeepThirdPartyCertifications = true });

        Assert.Equal(KeyOutcomeKind.Updated, report.Keys[0].Kind);
        Assert.Empty(report.Keys[0].NewIdentities);
    }

    [Fact]
    public async Task Ingest_BareRevocation_MergedAndPrimaryRevoked()
    {
        await IngestAsync(TestVectors.Read("ed25519-eve.asc"));

        var report = await IngestAsync(TestVectors.Read("ed25519-eve-revocation.asc"));

        var outcome = Assert.Single(report.Keys);
        Assert.Equal(KeyOutcomeKind.Updated, outcome.Kind);
        Assert.Equal(TestVectors.EveFingerprint, outcome.Fingerprint);
        var record = (await _store.GetAsync(TestVectors.EveFingerprint))!;
        Assert.NotNull(record.Primary.Revoked);
        Assert.Equal(0, record.Primary.Revoked.ReasonCode);
        // A revoked key keeps its published identity so that the revocation reaches gpg users.
        Assert.True(record.IsPublished);
        Assert.Contains(PacketReader.Split(record.Published, out _), p => p.Tag == Packet.Signature && p.Body.Span[1] == 0x20);
    }

    [Fact]
    public async Task Ingest_BareRevocationArmoredAsSignature_Merged()
    {
        await IngestAsync(TestVectors.Read("ed25519-eve.asc"));
        var text = Encoding.ASCII.GetString(TestVectors.Read("ed25519-eve-revocation.asc")).Replace("PUBLIC KEY BLOCK", "SIGNATURE", StringComparison.Ordinal);

        var report = await IngestAsync(Ascii(text));

        Assert.Equal(KeyOutcomeKind.Updated, report.Keys[0].Kind);
    }

    [Fact]
    public async Task Ingest_BareRevocationTwice_SecondUnchanged()
    {
        await IngestAsync(TestVectors.Read("ed25519-eve.asc"));
        await IngestAsync(TestVectors.Read("ed25519-eve-revocation.asc"));

        var report = await IngestAsync(TestVectors.Read("ed25519-eve-revocation.asc"));

        Assert.Equal(KeyOutcomeKind.Unchanged, report.Keys[0].Kind);
    }

    [Fact]
    public async Task Ingest_BareRevocationForUnknownKey_Rejected()
    {
        var report = await IngestAsync(TestVectors.Read("ed25519-eve-revocation.asc"));

        Assert.Equal($"revocation for unknown key 0x{TestVectors.EveFingerprint}", report.Keys[0].Reason);
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task Ingest_BareRevocationCorrupted_Rejected()
    {
        await IngestAsync(TestVectors.Read("ed25519-eve.asc"));
        var revocation = TestVectors.Corrupt(TestVectors.Packets("ed25519-eve-revocation.asc")[0]);

        var report = await IngestAsync(revocation.ToArray());

        Assert.Equal("revocation signature does not verify against the stored key", report.Keys[0].Reason);
        Assert.Null((await _store.GetAsync(TestVectors.EveFingerprint))!.Primary.Revoked);
    }

    [Fact]
    public async Task Ingest_LooseCertification_Rejected()
    {
        var certification = TestVectors.Packets("ed25519-eve.asc")[2];

        var report = await IngestAsync(certification.ToArray());

        Assert.Equal("a signature of type 0x13 outside a key is not accepted (only key revocations)", report.Keys[0].Reason);
    }

    [Fact]
    public async Task Ingest_RevocationInsideKey_Merged()
    {
        await IngestAsync(TestVectors.Read("ed25519-eve.asc"));
        var packets = TestVectors.Packets("ed25519-eve.asc");
        packets.Insert(1, TestVectors.Packets("ed25519-eve-revocation.asc")[0]);

        var report = await IngestAsync(TestVectors.Join(packets));

        Assert.Equal(KeyOutcomeKind.Updated, report.Keys[0].Kind);
        Assert.NotNull((await _store.GetAsync(TestVectors.EveFingerprint))!.Primary.Revoked);
    }

    [Fact]
    public async Task Ingest_EmailMode_IdentitiesPendingKeyNotServed()
    {
        var report = await IngestAsync(TestVectors.Read("rsa-alice.pgp"), PublicationMode.Email);

        Assert.All(report.Keys[0].NewIdentities, i => Assert.Equal(IdentityState.Pending, i.State));
        var record = (await _store.GetAsync(TestVectors.AliceFingerprint))!;
        Assert.False(record.IsPublished);
        Assert.Null(record.PublishedArmored);
        Assert.Empty(record.PublishedEmails);
    }

    [Fact]
    public async Task Ingest_EmailModeWithPublishAll_Published()
    {
        await IngestAsync(TestVectors.Read("rsa-alice.pgp"), PublicationMode.Email, publishAll: true);

        var record = (await _store.GetAsync(TestVectors.AliceFingerprint))!;

        Assert.True(record.IsPublished);
        Assert.All(record.Identities, i => Assert.Equal(IdentityState.Published, i.State));
    }

    [Fact]
    public async Task Ingest_ExpiredKey_AddedWithExpiry()
    {
        await IngestAsync(TestVectors.Read("expired-oldtimer.asc"));

        var record = (await _store.GetAsync(TestVectors.OldTimerFingerprint))!;

        Assert.Equal(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), record.Primary.Created);
        Assert.Equal(new DateTimeOffset(2020, 1, 2, 0, 0, 0, TimeSpan.Zero), record.Primary.Expires);
    }

    [Fact]
    public async Task Ingest_Cancelled_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            TestVectors.Ingestor(_store).IngestAsync(TestVectors.Read("rsa-alice.pgp"), new IngestOptions(), cancellation.Token));
    }
}

public sealed class KeyIngestorNewAlgorithmTests
{
    private readonly InMemoryKeyStore _store = new();

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public async Task Ingest_Ed25519AlgorithmId27_AddedWithX25519Subkey(int version)
    {
        var key = new CraftedEd25519(version);

        var report = await TestVectors.Ingestor(_store).IngestAsync(key.Key("Nora New <nora@example.org>"), new IngestOptions());

        var outcome = Assert.Single(report.Keys);
        Assert.Equal(KeyOutcomeKind.Added, outcome.Kind);
        Assert.Empty(outcome.Dropped);
        var record = (await _store.GetAsync(Convert.ToHexString(key.Fingerprint)))!;
        Assert.Equal(version, record.Version);
        Assert.Equal((27, 256, "Ed25519"), (record.Primary.Algorithm, record.Primary.Bits, record.Primary.Curve));
        var subkey = Assert.Single(record.Subkeys);
        Assert.Equal((25, "X25519"), (subkey.Info.Algorithm, subkey.Info.Curve));
        Assert.Equal(KeyUsage.EncryptCommunications | KeyUsage.EncryptStorage, subkey.Usage);
        Assert.Equal("nora@example.org", Assert.Single(record.PublishedEmails));
    }

    [Fact]
    public async Task Ingest_V6Key_FingerprintAndKeyIdForms()
    {
        var key = new CraftedEd25519(6);

        await TestVectors.Ingestor(_store).IngestAsync(key.Key("Nora New <nora@example.org>"), new IngestOptions());

        var fingerprint = Convert.ToHexString(key.Fingerprint);
        var record = (await _store.GetAsync(fingerprint))!;
        Assert.Equal(64, record.Fingerprint.Length);
        Assert.Equal(fingerprint[..16], record.KeyIds[0]);
        Assert.Equal(fingerprint[8..16], record.ShortKeyIds[0]);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public async Task Ingest_Ed25519BadCertification_Rejected(int version)
    {
        var key = new CraftedEd25519(version);

        var report = await TestVectors.Ingestor(_store).IngestAsync(key.Key("Nora <nora@example.org>", corruptCertification: true), new IngestOptions());

        Assert.Equal("no valid self-signed user ID or direct-key signature left", report.Keys[0].Reason);
    }
}
