using System.Text;
using Keyserver.Core.Search;
using Keyserver.Web.Http;

namespace Keyserver.Web.Hkp;

/// <summary>What a <c>/pks/v2/</c> request asks for (draft-ietf-openpgp-hkp-01 §5).</summary>
internal enum HkpV2Operation
{
    /// <summary>Refused before any lookup: <see cref="HkpV2Request.StatusCode"/> and <see cref="HkpV2Request.Error"/> say why.</summary>
    Refused,

    /// <summary>GET/HEAD <c>certs/by-identity</c>, <c>certs/by-vfingerprint</c> or <c>certs/by-keyid</c>: a binary bundle.</summary>
    Certificates,

    /// <summary>GET/HEAD <c>index/&lt;identity&gt;</c>: the JSON index.</summary>
    Index,

    /// <summary>POST <c>certs</c>: a submission.</summary>
    Submit,

    /// <summary>OPTIONS on a category this server supports: <see cref="HkpV2Request.Allow"/> lists its methods.</summary>
    Options,
}

/// <summary>
/// A parsed <c>/pks/v2/</c> request. Pure: the method and the raw (still percent-encoded) path in,
/// a value out, so every rule is tested without a server. Each rule names the section of
/// draft-ietf-openpgp-hkp-01 (numbered as draft-gallagher-openpgp-hkp-10, which it adopted) it follows.
/// </summary>
/// <param name="Operation">What to do.</param>
/// <param name="Query">The lookup for <see cref="HkpV2Operation.Certificates"/> and <see cref="HkpV2Operation.Index"/>.</param>
/// <param name="MaxKeyVersion">Certificates above this version are left out of the answer (§5.1.3: none above v4 by key ID).</param>
/// <param name="KeyVersion">For a versioned fingerprint, the version the certificate must have.</param>
/// <param name="Allow">For OPTIONS and 405: the methods of the category.</param>
/// <param name="StatusCode">200, or the status of a refusal.</param>
/// <param name="Error">The short reason of a refusal.</param>
internal sealed record HkpV2Request(
    HkpV2Operation Operation,
    KeyQuery? Query = null,
    int MaxKeyVersion = int.MaxValue,
    int? KeyVersion = null,
    string? Allow = null,
    int StatusCode = StatusCodes.Status200OK,
    string? Error = null)
{
    public const string Prefix = "/pks/v2";

    /// <summary>Longest raw path accepted; an identity is at most <see cref="KeyQueryParser.MaxLength"/> characters.</summary>
    public const int MaxPathLength = 4096;

    public const string LookupMethods = "GET, HEAD, OPTIONS";
    public const string CertsMethods = "GET, HEAD, POST, OPTIONS";

    public static HkpV2Request Parse(string method, string rawPath)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(rawPath);
        if (rawPath.Length > MaxPathLength)
        {
            return Refuse(StatusCodes.Status414UriTooLong, "The request path is too long.");
        }

        var rest = rawPath.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? rawPath[Prefix.Length..] : rawPath;
        var segments = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var decoded = new string[segments.Length];
        for (var i = 0; i < segments.Length; i++)
        {
            if (!TryDecode(segments[i], out decoded[i]!))
            {
                return Refuse(StatusCodes.Status400BadRequest, "The path is not valid percent-encoded UTF-8.");
            }
        }

        var isGet = method is "GET" or "HEAD";
        var isOptions = method == "OPTIONS";
        switch (decoded)
        {
            // §5.1.7, §5.2.6: OPTIONS on a category without an identifier is feature detection.
            case ["certs"] when isOptions:
            case ["certs", "by-identity" or "by-vfingerprint" or "by-keyid"] when isOptions:
                return new HkpV2Request(HkpV2Operation.Options, Allow: decoded.Length == 1 ? CertsMethods : LookupMethods);
            case ["index"] when isOptions:
                return new HkpV2Request(HkpV2Operation.Options, Allow: LookupMethods);

            // §5.2.1: submission.
            case ["certs"] when method == "POST":
                return new HkpV2Request(HkpV2Operation.Submit);
            case ["certs"]:
                return NotAllowed(CertsMethods);

            // §5.1.7: a lookup category without an identifier SHOULD be refused with 403.
            case ["certs", "by-identity" or "by-vfingerprint" or "by-keyid"] or ["index"] when isGet:
                return Refuse(StatusCodes.Status403Forbidden, "A lookup needs an identifier after the category.");

            case ["certs", "by-identity" or "by-vfingerprint" or "by-keyid", ..] or ["index", ..] when !isGet:
                return NotAllowed(LookupMethods);

            case ["certs", "by-identity", var identity]:
                return Identity(HkpV2Operation.Certificates, identity);
            case ["index", var identity]:
                return Identity(HkpV2Operation.Index, identity);

            // -01 form: version and fingerprint as two segments; -10 form: one segment.
            case ["certs", "by-vfingerprint", var version, var fingerprint]:
                return VersionedFingerprint(version, fingerprint);
            case ["certs", "by-vfingerprint", var versioned] when versioned.Length > 2:
                return VersionedFingerprint(versioned[..2], versioned[2..]);

            case ["certs", "by-keyid", var keyId]:
                // §5.1.3: exactly 16 hex digits; certificates above v4 MUST NOT be returned.
                return KeyQueryParser.IsHex(keyId, 16)
                    ? new HkpV2Request(HkpV2Operation.Certificates, new KeyQuery.ByKeyId(keyId), MaxKeyVersion: 4)
                    : Refuse(StatusCodes.Status400BadRequest, "A key ID is 16 hex digits without 0x.");

            case ["certs", ..] or ["index", ..]:
                return Refuse(StatusCodes.Status404NotFound, "No such lookup.");

            // §5.1.4-§5.1.6, §5.2.2-§5.2.3: canonical, prefixlog and sendtoken rest on the token
            // flow or are optional; with any other category they answer 501 (§4.2, §5.1.7).
            default:
                return Refuse(StatusCodes.Status501NotImplemented, "Not implemented by this server.");
        }
    }

    // §5.1.9: the identifier is an address (the text inside <…> of a user ID) or a whole user ID,
    // matched exactly and case-insensitively; never a part of one.
    private static HkpV2Request Identity(HkpV2Operation operation, string identity)
    {
        if (identity.Length > KeyQueryParser.MaxLength || identity.Any(c => char.IsControl(c)))
        {
            return Refuse(StatusCodes.Status400BadRequest, $"An identity is at most {KeyQueryParser.MaxLength} characters without control characters.");
        }

        KeyQuery query = SearchText.NormaliseAddress(identity) is { } address
            ? new KeyQuery.ByEmail(address)
            : new KeyQuery.ByUserId(identity.Trim());
        return new HkpV2Request(operation, query);
    }

    // §5.1.2: a versioned fingerprint is the key version octet and the fingerprint, in hex, no 0x.
    private static HkpV2Request VersionedFingerprint(string version, string fingerprint)
    {
        if (!KeyQueryParser.IsHex(fingerprint, fingerprint.Length) || fingerprint.Length is not (40 or 64))
        {
            return Refuse(StatusCodes.Status400BadRequest, "A fingerprint is 40 (v4) or 64 (v6) hex digits without 0x.");
        }

        // A version that is not 04 with 40 digits or 06 with 64 names no certificate here (v5 is not served).
        return (version, fingerprint.Length) switch
        {
            ("04", 40) => new HkpV2Request(HkpV2Operation.Certificates, new KeyQuery.ByFingerprint(fingerprint), KeyVersion: 4),
            ("06", 64) => new HkpV2Request(HkpV2Operation.Certificates, new KeyQuery.ByFingerprint(fingerprint), KeyVersion: 6),
            _ => Refuse(StatusCodes.Status404NotFound, "No certificate of that version and fingerprint."),
        };
    }

    private static bool TryDecode(string segment, out string? text)
    {
        text = null;
        if (!PercentEncoding.TryDecode(Encoding.Latin1.GetBytes(segment), plusIsSpace: false, strict: true, out var bytes))
        {
            return false;
        }

        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static HkpV2Request Refuse(int statusCode, string error) => new(HkpV2Operation.Refused, StatusCode: statusCode, Error: error);

    private static HkpV2Request NotAllowed(string allow) =>
        new(HkpV2Operation.Refused, Allow: allow, StatusCode: StatusCodes.Status405MethodNotAllowed, Error: "Method not allowed here.");
}
