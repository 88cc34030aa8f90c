namespace Keyserver.Web.Http;

/// <summary>
/// Percent-decoding to bytes (RFC 3986 §2.1), with the form rule that <c>+</c> is a space
/// (HTML's application/x-www-form-urlencoded parser) where the caller asks for it.
/// </summary>
internal static class PercentEncoding
{
    /// <summary>
    /// Decodes <paramref name="encoded"/>. A <c>%</c> not followed by two hex digits is kept as it
    /// is (as browsers' form parsers do) unless <paramref name="strict"/>, when it fails the decode.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, bool plusIsSpace, bool strict, out byte[] decoded)
    {
        var output = new byte[encoded.Length];
        var length = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var b = encoded[i];
            if (b == (byte)'%')
            {
                if (i + 2 < encoded.Length && IsHex(encoded[i + 1]) && IsHex(encoded[i + 2]))
                {
                    output[length++] = (byte)((HexValue(encoded[i + 1]) << 4) | HexValue(encoded[i + 2]));
                    i += 2;
                    continue;
                }

                if (strict)
                {
                    decoded = [];
                    return false;
                }
            }

            output[length++] = b == (byte)'+' && plusIsSpace ? (byte)' ' : b;
        }

        decoded = output[..length];
        return true;
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
