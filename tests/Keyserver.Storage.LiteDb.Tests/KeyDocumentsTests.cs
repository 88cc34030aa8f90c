using System.Text;

namespace Keyserver.Storage.LiteDb.Tests;

public class KeyDocumentsTests
{
    [Fact]
    public void TextIndexKey_ShortText_LowerCasedAsIs()
    {
        Assert.Equal("alice liddell <alice@example.org>", KeyDocuments.TextIndexKey("Alice LIDDELL <Alice@Example.org>"));
    }

    [Fact]
    public void TextIndexKey_LongText_HashedBelowLiteDbKeyLimitAndCaseInsensitive()
    {
        var text = string.Concat(Enumerable.Repeat("Ünïcode ", 500));

        var key = KeyDocuments.TextIndexKey(text);

        Assert.StartsWith("sha256:", key, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(key) < 1023);
        Assert.Equal(key, KeyDocuments.TextIndexKey(text.ToUpperInvariant()));
        Assert.NotEqual(key, KeyDocuments.TextIndexKey(text + "x"));
    }
}
