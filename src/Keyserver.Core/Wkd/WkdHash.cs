using System.Security.Cryptography;
using System.Text;

namespace Keyserver.Core.Wkd;

/// <summary>
/// The hashed local part of a Web Key Directory URL (draft-koch-openpgp-webkey-service-22 §3.1): the
/// SHA-1 of the local part, mapped to lower case, encoded in z-base-32 (RFC 6189 §5.1.6).
/// </summary>
public static class WkdHash
{
    /// <summary>Characters of every hash: 160 bits in 5-bit groups.</summary>
    public const int Length = 32;

    /// <summary>The z-base-32 alphabet (RFC 6189 §5.1.6).</summary>
    public const string Alphabet = "ybndrfg8ejkmcpqxot1uwisza345h769";

    /// <summary>
    /// The hash as the draft (§3.1) and gpg compute it: only ASCII capitals are mapped to lower case,
    /// every other character is hashed as it is (UTF-8).
    /// </summary>
    /// <param name="localPart">The local part of an address, as its owner wrote it.</param>
    public static string Of(string localPart)
    {
        ArgumentNullException.ThrowIfNull(localPart);
        var lowered = string.Create(localPart.Length, localPart, static (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                span[i] = text[i] is >= 'A' and <= 'Z' ? (char)(text[i] + 32) : text[i];
            }
        });
        return Compute(lowered);
    }

    /// <summary>
    /// Every hash a client may ask for this local part: the draft's (gpg), and the one over the
    /// Unicode lower case that sq 0.27 computes when the local part has non-ASCII capitals.
    /// </summary>
    /// <param name="localPart">The local part of an address, as its owner wrote it.</param>
    public static IReadOnlyList<string> Variants(string localPart)
    {
        var draft = Of(localPart);
        var unicode = Compute(localPart.ToLowerInvariant());
        return draft == unicode ? [draft] : [draft, unicode];
    }

    /// <summary>True when <paramref name="hash"/> is 32 characters of the z-base-32 alphabet (lower case).</summary>
    /// <param name="hash">Text from a request.</param>
    public static bool IsWellFormed(string? hash) =>
        hash is { Length: Length } && hash.AsSpan().IndexOfAnyExcept(Alphabet) < 0;

    /// <summary>z-base-32 (RFC 6189 §5.1.6): 5-bit groups, most significant bit first, no padding.</summary>
    /// <param name="data">The octets to encode.</param>
    public static string ZBase32(ReadOnlySpan<byte> data)
    {
        var text = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var octet in data)
        {
            buffer = ((buffer << 8) | octet) & 0xFFFF;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            text.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return text.ToString();
    }

    private static string Compute(string lowered) => ZBase32(SHA1.HashData(Encoding.UTF8.GetBytes(lowered)));
}
