using System.Globalization;
using System.Text;
using System.Text.Json;

using SifSign.Text;

namespace SifSign.Dsse;

/// <summary>
/// A DSSE envelope as SIF stores it in a signature object (DSSE v1 envelope.md): payload type, payload bytes and one
/// or more signatures over the PAE of the two.
/// </summary>
public sealed class DsseEnvelope
{
    /// <summary>
    /// The payload type of SIF image metadata. Apptainer keeps the Sylabs string too.
    /// </summary>
    public const string SifMetadataPayloadType = "application/vnd.sylabs.sif-metadata+json";

    /// <summary>Envelopes larger than this are refused before parsing (a SIF metadata envelope is a few KiB).</summary>
    public const int MaxLength = 16 * 1024 * 1024;

    /// <summary>Creates an envelope.</summary>
    /// <exception cref="ArgumentException">No signatures.</exception>
    public DsseEnvelope(string payloadType, ReadOnlyMemory<byte> payload, IReadOnlyList<DsseSignature> signatures)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        ArgumentNullException.ThrowIfNull(signatures);
        if (signatures.Count == 0)
        {
            throw new ArgumentException("a DSSE envelope needs at least one signature", nameof(signatures));
        }

        PayloadType = payloadType;
        Payload = payload;
        Signatures = signatures;
    }

    /// <summary>The <c>payloadType</c> field.</summary>
    public string PayloadType { get; }

    /// <summary>The decoded payload (for SIF: the image metadata JSON).</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The signatures, in envelope order (never empty).</summary>
    public IReadOnlyList<DsseSignature> Signatures { get; }

    /// <summary>
    /// Parses an envelope. Tolerates what real images carry: trailing whitespace (older apptainer/sif wrote a
    /// newline), URL-safe base64, field names in any case, unknown fields (as Go's <c>encoding/json</c> does).
    /// </summary>
    /// <exception cref="DsseFormatException">Not JSON, not an envelope, bad base64, or no signatures.</exception>
    public static DsseEnvelope Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxLength)
        {
            throw new DsseFormatException($"DSSE envelope too large ({json.Length} bytes; limit {MaxLength})");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            throw new DsseFormatException($"DSSE envelope is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DsseFormatException("DSSE envelope is not a JSON object");
            }

            var payloadType = RequiredString(root, "payloadType", "DSSE envelope");
            var payload = DecodeBase64(RequiredString(root, "payload", "DSSE envelope"), "payload");
            var signaturesElement = Property(root, "signatures");
            if (signaturesElement is not { ValueKind: JsonValueKind.Array } array)
            {
                throw new DsseFormatException("DSSE envelope has no signatures array");
            }

            var signatures = new List<DsseSignature>();
            foreach (var entry in array.EnumerateArray())
            {
                var where = string.Create(CultureInfo.InvariantCulture, $"DSSE signature {signatures.Count}");
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    throw new DsseFormatException($"{where} is not a JSON object");
                }

                var keyId = Property(entry, "keyid") switch
                {
                    null or { ValueKind: JsonValueKind.Null } => string.Empty,
                    { ValueKind: JsonValueKind.String } k => k.GetString()!,
                    _ => throw new DsseFormatException($"{where}: keyid is not a string"),
                };
                var sig = DecodeBase64(RequiredString(entry, "sig", where), $"{where} sig");
                if (sig.Length == 0)
                {
                    throw new DsseFormatException($"{where} is empty");
                }

                signatures.Add(new DsseSignature(keyId, sig));
            }

            if (signatures.Count == 0)
            {
                throw new DsseFormatException("DSSE envelope has zero signatures");
            }

            return new DsseEnvelope(payloadType, payload, signatures);
        }
    }

    /// <summary>
    /// The envelope exactly as Go's <c>json.Marshal</c> writes it (DSSE v1 envelope.md field order): compact, fields in the order
    /// payloadType, payload, signatures[keyid, sig], standard padded base64, no trailing newline.
    /// </summary>
    public byte[] Serialize()
    {
        var json = new StringBuilder(256 + (Payload.Length * 4 / 3));
        json.Append("{\"payloadType\":");
        GoJson.AppendQuoted(json, PayloadType);
        json.Append(",\"payload\":\"").Append(Convert.ToBase64String(Payload.Span)).Append("\",\"signatures\":[");
        for (var i = 0; i < Signatures.Count; i++)
        {
            json.Append(i == 0 ? "{\"keyid\":" : ",{\"keyid\":");
            GoJson.AppendQuoted(json, Signatures[i].KeyId);
            json.Append(",\"sig\":\"").Append(Convert.ToBase64String(Signatures[i].Signature.Span)).Append("\"}");
        }

        json.Append("]}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    private static JsonElement? Property(JsonElement element, string name)
    {
        // Go's decoder matches field names case-insensitively and the last duplicate wins.
        JsonElement? found = null;
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                found = property.Value;
            }
        }

        return found;
    }

    private static string RequiredString(JsonElement element, string name, string where) => Property(element, name) switch
    {
        { ValueKind: JsonValueKind.String } value => value.GetString()!,
        null => throw new DsseFormatException($"{where} has no {name}"),
        _ => throw new DsseFormatException($"{where}: {name} is not a string"),
    };

    private static byte[] DecodeBase64(string text, string what)
    {
        // Standard base64 first, then URL-safe, as go-securesystemslib's b64Decode does.
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(text, buffer, out var written))
        {
            return buffer[..written];
        }

        var standard = text.Replace('-', '+').Replace('_', '/');
        if (standard.Length % 4 != 0)
        {
            standard = standard.PadRight(standard.Length + 4 - (standard.Length % 4), '=');
        }

        if (text.IndexOfAny(['+', '/']) < 0 && Convert.TryFromBase64String(standard, buffer, out written))
        {
            return buffer[..written];
        }

        throw new DsseFormatException($"DSSE {what} is not valid base64");
    }
}
