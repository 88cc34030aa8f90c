using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Keyserver.Core.Packets;

namespace Keyserver.Core.Ingest;

/// <summary>
/// Cuts a keyring stream into pieces of whole keys, each about <c>targetBytes</c> long, so that a
/// large keyring is imported piece by piece and never held in memory as a whole. Armored input is
/// cut after an armor END line (RFC 9580 §6.2), binary input before a public-key packet (RFC 9580
/// §4.2 packet headers; tag 6 starts a transferable public key, §10.1).
/// </summary>
public static class KeyringChunks
{
    /// <summary>Largest single packet accepted while cutting; larger claims end the stream with an error.</summary>
    public const int MaxPacketBytes = 64 * 1024 * 1024;

    /// <summary>The pieces of <paramref name="stream"/>.</summary>
    /// <exception cref="InvalidDataException">A binary packet header claims more than <see cref="MaxPacketBytes"/>.</exception>
    public static async IAsyncEnumerable<byte[]> ReadAsync(Stream stream, int targetBytes, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetBytes, 1);
        var first = new byte[1];
        if (await stream.ReadAsync(first, cancellationToken).ConfigureAwait(false) == 0)
        {
            yield break;
        }

        var source = new PrefixedStream(first[0], stream);
        var chunks = (first[0] & 0x80) != 0 ? Binary(source, targetBytes, cancellationToken) : Armored(source, targetBytes, cancellationToken);
        await foreach (var chunk in chunks.ConfigureAwait(false))
        {
            yield return chunk;
        }
    }

    private static async IAsyncEnumerable<byte[]> Armored(Stream stream, int targetBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var current = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            current.Append(line).Append('\n');
            if (current.Length >= targetBytes && line.StartsWith("-----END PGP ", StringComparison.Ordinal))
            {
                yield return Encoding.UTF8.GetBytes(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            yield return Encoding.UTF8.GetBytes(current.ToString());
        }
    }

    private static async IAsyncEnumerable<byte[]> Binary(Stream stream, int targetBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var current = new MemoryStream();
        var header = new byte[6];
        while (true)
        {
            if (await stream.ReadAsync(header.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) == 0)
            {
                break;
            }

            int tag, headerLength;
            int? bodyLength;
            try
            {
                (tag, headerLength, bodyLength) = await HeaderAsync(stream, header, cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException)
            {
                // A header cut off at the end: passed on, and the ingest reports the broken packet.
                current.WriteByte(header[0]);
                break;
            }

            if (tag is Packet.PublicKey or Packet.SecretKey && current.Length >= targetBytes)
            {
                yield return current.ToArray();
                current.SetLength(0);
            }

            current.Write(header, 0, headerLength);
            if (bodyLength is not { } length)
            {
                // Indeterminate or partial length: not a key packet; the rest goes as it is, and the ingest reports it.
                await stream.CopyToAsync(current, cancellationToken).ConfigureAwait(false);
                break;
            }

            var body = new byte[length];
            var read = await stream.ReadAtLeastAsync(body, length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            current.Write(body, 0, read);
            if (read < length)
            {
                // Cut off: what there is goes on, and the ingest reports the broken packet.
                break;
            }
        }

        if (current.Length > 0)
        {
            yield return current.ToArray();
        }
    }

    private static async Task<(int Tag, int HeaderLength, int? BodyLength)> HeaderAsync(Stream stream, byte[] header, CancellationToken cancellationToken)
    {
        var first = header[0];
        if ((first & 0x40) == 0)
        {
            // Old format (RFC 9580 §4.2.2): the length type is in the low two bits.
            var tag = (first >> 2) & 0x0F;
            var size = (first & 0x03) switch { 0 => 1, 1 => 2, 2 => 4, _ => 0 };
            if (size == 0)
            {
                return (tag, 1, null);
            }

            await stream.ReadExactlyAsync(header.AsMemory(1, size), cancellationToken).ConfigureAwait(false);
            var length = size switch
            {
                1 => header[1],
                2 => BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(1)),
                _ => (long)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1)),
            };
            return (tag, 1 + size, Checked(length));
        }

        // New format (RFC 9580 §4.2.1).
        await stream.ReadExactlyAsync(header.AsMemory(1, 1), cancellationToken).ConfigureAwait(false);
        var newTag = first & 0x3F;
        var octet = header[1];
        if (octet < 192)
        {
            return (newTag, 2, octet);
        }

        if (octet < 224)
        {
            await stream.ReadExactlyAsync(header.AsMemory(2, 1), cancellationToken).ConfigureAwait(false);
            return (newTag, 3, ((octet - 192) << 8) + header[2] + 192);
        }

        if (octet == 255)
        {
            await stream.ReadExactlyAsync(header.AsMemory(2, 4), cancellationToken).ConfigureAwait(false);
            return (newTag, 6, Checked(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2))));
        }

        return (newTag, 2, null);
    }

    private static int Checked(long length) => length <= MaxPacketBytes
        ? (int)length
        : throw new InvalidDataException($"a packet claims {length} bytes (more than {MaxPacketBytes})");

    /// <summary>The stream with one byte put back in front.</summary>
    private sealed class PrefixedStream(byte first, Stream inner) : Stream
    {
        private bool _pending = true;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_pending && buffer.Length > 0)
            {
                _pending = false;
                buffer[0] = first;
                return 1;
            }

            return inner.Read(buffer);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_pending && buffer.Length > 0)
            {
                _pending = false;
                buffer.Span[0] = first;
                return 1;
            }

            return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
