namespace Keyserver.Core.Tests.Keys;

public sealed class CertificateTests
{
    private static Certificate Group(IReadOnlyList<Packet> packets) => Certificate.Group(packets, out _, out _)!;

    [Fact]
    public void Group_DuplicateUserIdAndSignatures_MergedByContent()
    {
        var packets = TestVectors.Packets("ed25519-eve.asc");
        var doubled = packets.Take(3).Concat(packets.Skip(1).Take(2)).Concat(packets.Skip(3)).Append(packets[^1]).ToList();

        var certificate = Group(doubled);

        var userId = Assert.Single(certificate.UserIds);
        Assert.Single(userId.Signatures);
        Assert.Single(Assert.Single(certificate.Subkeys).Signatures);
        Assert.Equal(TestVectors.Join(packets), certificate.Serialize());
    }

    [Fact]
    public void Serialize_OutOfOrderInput_CanonicalOrder()
    {
        var packets = TestVectors.Packets("rsa-alice.pgp");
        // subkey and its binding first, then the user IDs
        var shuffled = packets.Take(1).Concat(packets.Skip(8)).Concat(packets.Skip(1).Take(7)).ToList();

        var tags = PacketReader.Split(Group(shuffled).Serialize(), out _).Select(p => p.Tag);

        Assert.Equal([6, 13, 2, 13, 2, 13, 2, 2, 14, 2], tags);
    }

    [Fact]
    public void MergeFrom_Itself_Idempotent()
    {
        var certificate = Group(TestVectors.Packets("rsa-alice.pgp"));
        var before = certificate.Serialize();

        certificate.MergeFrom(Group(TestVectors.Packets("rsa-alice.pgp")));

        Assert.Equal(before, certificate.Serialize());
    }

    [Fact]
    public void MergeFrom_Disjoint_Union()
    {
        var packets = TestVectors.Packets("rsa-alice.pgp");
        var first = Group(packets.Take(3).ToList());
        var second = Group(packets.Take(1).Concat(packets.Skip(3)).ToList());

        first.MergeFrom(second);

        Assert.Equal(3, first.UserIds.Count);
        Assert.Single(first.Subkeys);
        Assert.Equal(packets.Count, PacketReader.Split(first.Serialize(), out _).Count);
    }

    [Fact]
    public void Contains_SignatureOnComponent_FoundByContent()
    {
        var packets = TestVectors.Packets("ed25519-eve.asc");
        var certificate = Group(packets);
        var other = Group(packets);

        Assert.True(certificate.Contains(other.UserIds[0], packets[2]));
        Assert.False(certificate.Contains(other.UserIds[0], TestVectors.Corrupt(packets[2])));
        Assert.False(certificate.Contains(null, packets[2]));
    }

    [Fact]
    public void Group_TrustAndMarkerPackets_SkippedOthersCounted()
    {
        var packets = TestVectors.Packets("ed25519-eve.asc");
        packets.Insert(1, new Packet(Packet.Trust, new byte[] { 1 }));
        packets.Insert(1, new Packet(Packet.Marker, "PGP"u8.ToArray()));
        packets.Insert(1, new Packet(60, new byte[] { 1 }));

        var certificate = Certificate.Group(packets, out var unexpected, out _)!;

        Assert.Equal(1, unexpected);
        Assert.Equal(TestVectors.Binary("ed25519-eve.asc").Length, certificate.Serialize().Length);
    }
}
