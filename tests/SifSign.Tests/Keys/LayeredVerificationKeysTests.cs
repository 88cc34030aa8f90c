using System.Buffers.Binary;
using SifSign.Tests.Hkp;

namespace SifSign.Tests.Keys;

public class LayeredVerificationKeysTests
{
    private static PgpPublicKeyRing NewPublicKey(string name) =>
        Keyring.PublicPart(KeyGenerator.Generate(new KeyRequest(KeyAlgorithm.Ed25519, name, "l@example.org", string.Empty, null), DateTime.UtcNow));

    private static byte[] KeyId(PgpPublicKeyRing ring)
    {
        var id = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(id, ring.GetPublicKey().KeyId);
        return id;
    }

    [Fact]
    public void Find_LocalKey_NeverAsksKeyserverAndIsLocal()
    {
        var local = NewPublicKey("Local");
        var asked = false;
        var keys = new LayeredVerificationKeys([local], () => { asked = true; throw new HkpException("unused"); }, _ => { }, CancellationToken.None);

        var found = keys.Find(local.GetPublicKey().GetFingerprint());

        Assert.NotNull(found);
        Assert.False(asked);
        Assert.Equal(KeySource.Local, keys.SourceOf(found));
    }

    [Fact]
    public void Find_MissingLocally_FetchesOnceByKeyIdAndIsRemote()
    {
        var remote = NewPublicKey("Remote");
        var armored = Encoding.ASCII.GetString(KeyFile.Encode([remote], armor: true));
        var handler = new StubHandler(_ => StubHandler.Text(HttpStatusCode.OK, armored));
        var client = new HkpClient(new HttpClient(handler), new Uri("http://keys.test/"));
        var keys = new LayeredVerificationKeys([], () => client, _ => { }, CancellationToken.None);

        var first = keys.Find(KeyId(remote));
        var second = keys.Find(KeyId(remote));

        Assert.NotNull(first);
        Assert.Same(first, second);
        Assert.Equal(KeySource.Remote, keys.SourceOf(first));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public void Find_KeyserverFails_ReportsAndReturnsNull()
    {
        var messages = new List<string>();
        var keys = new LayeredVerificationKeys([], () => throw new HkpException("no keyserver configured"), messages.Add, CancellationToken.None);

        Assert.Null(keys.Find(new byte[8]));
        Assert.Equal(["no keyserver configured"], messages);
    }

    [Fact]
    public void Find_LocalOnly_ReturnsNullForUnknownKey()
    {
        var keys = new LayeredVerificationKeys([NewPublicKey("Other")], null, _ => throw new InvalidOperationException("not expected"), CancellationToken.None);

        Assert.Null(keys.Find(new byte[20]));
    }
}
