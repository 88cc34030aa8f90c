using System.Buffers;
using System.Globalization;

namespace Keyserver.Web.Http;

/// <summary>A request body read whole, or the status and short reason to refuse it with.</summary>
internal sealed record BodyRead(byte[]? Body, int StatusCode, string? Error)
{
    public static BodyRead Refused(int statusCode, string error) => new(null, statusCode, error);
}

/// <summary>
/// The one reader of request bodies that carry key material (<c>/pks/add</c>, the VKS upload): the
/// body is read once and never beyond the upload limit, whatever Content-Length claims.
/// </summary>
internal static class BoundedBody
{
    public static async Task<BodyRead> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return TooLarge(maxBytes);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's own MaxRequestBodySize, set from the same limit.
            return TooLarge(maxBytes);
        }
        catch (BadHttpRequestException e)
        {
            // A body cut short or with broken chunking.
            return BodyRead.Refused(e.StatusCode, "The request body could not be read.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return new BodyRead(buffer.ToArray(), StatusCodes.Status200OK, null);
    }

    /// <summary>The answer for material over the limit, worded the same on every upload path.</summary>
    public static string TooLargeMessage(long maxBytes) =>
        string.Create(CultureInfo.InvariantCulture, $"The upload is larger than {maxBytes} bytes.");

    private static BodyRead TooLarge(int maxBytes) => BodyRead.Refused(StatusCodes.Status413PayloadTooLarge, TooLargeMessage(maxBytes));
}
