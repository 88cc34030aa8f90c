using System.Security.Cryptography;

namespace SifSign.Pki;

/// <summary>RFC 7468 PEM text: every block in a file, and the writer used for the files we produce.</summary>
internal static class PemText
{
    // A key or certificate file far larger than this is not a key or certificate file.
    public const int MaxLength = 1024 * 1024;

    public static List<PemBlock> ReadAll(string text)
    {
        if (text.Length > MaxLength)
        {
            throw new PemKeyException(PemKeyError.Malformed, $"PEM input is too large ({text.Length} characters; limit {MaxLength})");
        }

        var blocks = new List<PemBlock>();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label].ToString();
            var data = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(rest[fields.Base64Data], data, out var written) || written != data.Length)
            {
                throw new PemKeyException(PemKeyError.Malformed, $"PEM block {label} does not decode");
            }

            blocks.Add(new PemBlock(label, data));
            rest = rest[fields.Location.End..];
        }

        if (blocks.Count == 0)
        {
            throw new PemKeyException(
                PemKeyError.Malformed,
                text.Contains("-----BEGIN ", StringComparison.Ordinal)
                    ? text.Contains("Proc-Type:", StringComparison.Ordinal)
                        ? "legacy OpenSSL-encrypted PEM (Proc-Type header) is not supported; convert it with `openssl pkcs8 -topk8`"
                        : "malformed PEM block (bad base64, or BEGIN/END labels that do not match)"
                    : "no PEM block found");
        }

        return blocks;
    }

    public static string Write(string label, ReadOnlySpan<byte> data) => PemEncoding.WriteString(label, data) + "\n";
}
