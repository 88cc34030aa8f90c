using System.Text;
using Keyserver.Web.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Keyserver.Web.Hkp;

/// <summary>What <c>POST /pks/add</c> carried: the key material, or the status and reason to refuse it.</summary>
internal sealed record AddBody(byte[]? KeyMaterial, int StatusCode, string? Error)
{
    public static AddBody Keys(byte[] material) => new(material, StatusCodes.Status200OK, null);

    public static AddBody Refused(int statusCode, string error) => new(null, statusCode, error);
}

/// <summary>
/// Reads the body of <c>POST /pks/add</c> (the HKP draft §4; clients' encodings as observed from gpg, sq and apptainer): form field <c>keytext</c> in
/// <c>application/x-www-form-urlencoded</c> or <c>multipart/form-data</c>, or the raw key
/// (armored or binary) as <c>application/pgp-keys</c>. The body is read at most once and never
/// beyond the upload limit.
/// </summary>
internal static class AddRequestReader
{
    public const string FieldName = "keytext";

    private enum BodyKind
    {
        UrlEncoded,
        Multipart,
        Raw,
    }

    public static async Task<AddBody> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || mediaType.MediaType.Value is not { } type)
        {
            return Unsupported();
        }

        BodyKind kind;
        if (type.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            kind = BodyKind.UrlEncoded;
        }
        else if (type.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            kind = BodyKind.Multipart;
        }
        else if (type.Equals("application/pgp-keys", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/pgp", StringComparison.OrdinalIgnoreCase))
        {
            kind = BodyKind.Raw;
        }
        else
        {
            return Unsupported();
        }

        var read = await BoundedBody.ReadAsync(request, maxBytes, cancellationToken);
        if (read.Body is not { } body)
        {
            return AddBody.Refused(read.StatusCode, read.Error!);
        }

        return kind switch
        {
            BodyKind.UrlEncoded => ParseUrlEncoded(body),
            BodyKind.Multipart => await ParseMultipartAsync(body, mediaType, cancellationToken),
            _ => body.Length == 0 ? AddBody.Refused(StatusCodes.Status400BadRequest, "The request body is empty.") : AddBody.Keys(body),
        };
    }

    /// <summary>
    /// Ordinary form decoding done on bytes: pairs split at '&amp;', each at its FIRST '=' (sq sends
    /// the armor checksum's '=' unescaped), '+' is a space, %XX a byte. Several keytext fields are
    /// joined, so each armor block in them is read.
    /// </summary>
    public static AddBody ParseUrlEncoded(ReadOnlySpan<byte> body)
    {
        using var keys = new MemoryStream();
        var found = false;
        while (!body.IsEmpty)
        {
            var amp = body.IndexOf((byte)'&');
            var pair = amp < 0 ? body : body[..amp];
            body = amp < 0 ? [] : body[(amp + 1)..];
            var equals = pair.IndexOf((byte)'=');
            var name = equals < 0 ? pair : pair[..equals];
            if (!Encoding.ASCII.GetString(Decode(name)).Equals(FieldName, StringComparison.Ordinal))
            {
                continue;
            }

            if (found)
            {
                keys.WriteByte((byte)'\n');
            }

            found = true;
            keys.Write(equals < 0 ? [] : Decode(pair[(equals + 1)..]));
        }

        return Field(found, keys.ToArray());
    }

    public static async Task<AddBody> ParseMultipartAsync(byte[] body, MediaTypeHeaderValue mediaType, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return AddBody.Refused(StatusCodes.Status400BadRequest, "The multipart body has no boundary.");
        }

        using var keys = new MemoryStream();
        var found = false;
        try
        {
            var reader = new MultipartReader(boundary, new MemoryStream(body, writable: false));
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !FieldName.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, StringComparison.Ordinal))
                {
                    continue;
                }

                if (found)
                {
                    keys.WriteByte((byte)'\n');
                }

                found = true;
                await section.Body.CopyToAsync(keys, cancellationToken);
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return AddBody.Refused(StatusCodes.Status400BadRequest, "The multipart body is malformed.");
        }

        return Field(found, keys.ToArray());
    }

    private static AddBody Field(bool found, byte[] value) => (found, value.Length) switch
    {
        (false, _) => AddBody.Refused(StatusCodes.Status400BadRequest, "Missing form field keytext."),
        (true, 0) => AddBody.Refused(StatusCodes.Status400BadRequest, "The keytext field is empty."),
        _ => AddBody.Keys(value),
    };

    private static byte[] Decode(ReadOnlySpan<byte> encoded)
    {
        PercentEncoding.TryDecode(encoded, plusIsSpace: true, strict: false, out var decoded);
        return decoded;
    }

    private static AddBody Unsupported() => AddBody.Refused(
        StatusCodes.Status415UnsupportedMediaType,
        "Content-Type must be application/x-www-form-urlencoded, multipart/form-data or application/pgp-keys.");
}
