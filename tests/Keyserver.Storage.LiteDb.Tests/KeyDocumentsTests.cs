using System.Text;

namespace Keyserver.Storage.LiteDb.Tests;

public class KeyDocumentsTests
{
    [Fact]
    public void TextIndexKey_ShortText_AsGiven()
    {
        // The core gives addresses and words in lower case (KeyQuery, KeyRecordBuilder); the store does not fold again.
        Assert.Equal("alice@example.org", KeyDocuments.TextIndexKey("alice@example.org"));
    }

    [Fact]
    public void TextIndexKey_LongText_HashedBelowLiteDbKeyLimit()
    {
        var text = string.Concat(Enumerable.Repeat("Ünïcode ", 500));

        var key = KeyDocuments.TextIndexKey(text);

        Assert.StartsWith("sha256:", key, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(key) < 1023);
        Assert.Equal(key, KeyDocuments.TextIndexKey(string.Concat(Enumerable.Repeat("Ünïcode ", 500))));
        Assert.NotEqual(key, KeyDocuments.TextIndexKey(text + "x"));
    }
}
