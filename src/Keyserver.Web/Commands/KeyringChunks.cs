using System.Text;

namespace Keyserver.Web.Commands;

/// <summary>
/// Reads a keyring file as a stream of chunks of whole keys, each small enough for one
/// <c>KeySubmission.SubmitAsync</c> call, so that an import holds a bounded amount of the file in
/// memory whatever its size. Binary files are split at the packet headers of RFC 9580 §4.2 (a chunk
/// ends before a public or secret key packet once it holds <see cref="KeysPerChunk"/> keys); armored
/// files at the end of an armor block (RFC 9580 §6.2), each block decoded by the upload path as before.
/// </summary>
internal sealed class KeyringChunks(Stream stream)
{
    /// <summary>Keys per chunk of a binary file.</summary>
    public const int KeysPerChunk = 512;

    /// <summary>Bytes of armored text gathered before a chunk is handed on (whole blocks only).</summary>
    public const int ArmoredChunkBytes = 1 << 20;

    /// <summary>
    /// The largest single packet or armor block read: the store keeps at most 16 MB per key, so
    /// anything larger cannot be stored and is skipped with an error instead of being read whole.
    /// </summary>
    public const int MaxItemBytes = 32 << 20;

    private const byte PublicKeyTag = 6;
    private const byte SecretKeyTag = 5;

    /// <summary>Errors met while splitting (a truncated packet, an oversized block); the caller reports them.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>True when the file is armored text rather than binary packets.</summary>
    public static bool LooksArmored(int firstByte) => firstByte >= 0 && (firstByte & 0x80) == 0;

    /// <summary>The chunks of the file, read as they are consumed.</summary>
    public async IAsyncEnumerable<byte[]> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var first = new byte[1];
        if (await stream.ReadAsync(first, cancellationToken).ConfigureAwait(false) == 0)
        {
            // Empty: the upload path reports "no OpenPGP data found".
            yield return [];
            yield break;
        }

        var source = new PrefixedStream(first[0], stream);
        var chunks = LooksArmored(first[0]) ? ArmoredAsync(source, cancellationToken) : BinaryAsync(source, cancellationToken);
        await foreach (var chunk in chunks.ConfigureAwait(false))
        {
            yield return chunk;
        }
    }

    private async IAsyncEnumerable<byte[]> BinaryAsync(Stream source, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffered = new BufferedStream(source, 1 << 16);
        using var chunk = new MemoryStream();
        var keys = 0;
        long offset = 0;
        var header = new byte[6];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = offset;
            var b = buffered.ReadByte();
            if (b < 0)
            {
                break;
            }

            header[0] = (byte)b;
            var headerLength = 1;
            int tag;
            long length;
            if ((b & 0x80) == 0)
            {
                Errors.Add($"not an OpenPGP packet header at offset {start}; the rest of the file is ignored");
                break;
            }

            if ((b & 0x40) != 0)
            {
                tag = b & 0x3F;
                var l0 = buffered.ReadByte();
                if (l0 < 0)
                {
                    Errors.Add($"truncated packet header at offset {start}");
                    break;
                }

                header[headerLength++] = (byte)l0;
                if (l0 < 192)
                {
                    length = l0;
                }
                else if (l0 < 224)
                {
                    var l1 = buffered.ReadByte();
                    if (l1 < 0)
                    {
                        Errors.Add($"truncated packet header at offset {start}");
                        break;
                    }

                    header[headerLength++] = (byte)l1;
                    length = ((l0 - 192) << 8) + l1 + 192;
                }
                else if (l0 == 255)
                {
                    if (!ReadExactly(buffered, header, headerLength, 4))
                    {
                        Errors.Add($"truncated packet header at offset {start}");
                        break;
                    }

                    length = ((long)header[headerLength] << 24) | ((long)header[headerLength + 1] << 16) | ((long)header[headerLength + 2] << 8) | header[headerLength + 3];
                    headerLength += 4;
                }
                else
                {
                    Errors.Add($"partial-length packet (tag {tag}) at offset {start}: not allowed in keys; the rest of the file is ignored");
                    break;
                }
            }
            else
            {
                tag = (b >> 2) & 0x0F;
                var lengthBytes = (b & 0x03) switch { 0 => 1, 1 => 2, 2 => 4, _ => 0 };
                if (lengthBytes == 0)
                {
                    Errors.Add($"indeterminate-length packet (tag {tag}) at offset {start}: not allowed in a keyring; the rest of the file is ignored");
                    break;
                }

                if (!ReadExactly(buffered, header, headerLength, lengthBytes))
                {
                    Errors.Add($"truncated packet header at offset {start}");
                    break;
                }

                length = 0;
                for (var i = 0; i < lengthBytes; i++)
                {
                    length = (length << 8) | header[headerLength + i];
                }

                headerLength += lengthBytes;
            }

            offset += headerLength + length;
            if (tag is PublicKeyTag or SecretKeyTag && keys++ >= KeysPerChunk)
            {
                yield return chunk.ToArray();
                chunk.SetLength(0);
                keys = 1;
            }

            if (length > MaxItemBytes)
            {
                Errors.Add($"packet (tag {tag}) at offset {start} has {length} bytes, more than {MaxItemBytes}; the rest of the file is ignored");
                break;
            }

            chunk.Write(header, 0, headerLength);
            var body = new byte[length];
            var read = await buffered.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            chunk.Write(body, 0, read);
            if (read < length)
            {
                // Handed on as it is: the upload path reports the truncated packet and keeps the keys before it.
                break;
            }
        }

        if (chunk.Length > 0)
        {
            yield return chunk.ToArray();
        }
    }

    private async IAsyncEnumerable<byte[]> ArmoredAsync(Stream source, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(source, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, 1 << 16);
        var chunk = new StringBuilder();
        var block = new StringBuilder();
        var inBlock = false;
        var skipping = false;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (!inBlock)
            {
                if (line.StartsWith("-----BEGIN PGP ", StringComparison.Ordinal))
                {
                    inBlock = true;
                    skipping = false;
                    block.Clear();
                    block.Append(line).Append('\n');
                }

                continue;
            }

            if (!skipping)
            {
                block.Append(line).Append('\n');
                if (block.Length > MaxItemBytes)
                {
                    Errors.Add($"an armor block is larger than {MaxItemBytes} bytes and was skipped");
                    block.Clear();
                    skipping = true;
                }
            }

            if (line.StartsWith("-----END PGP ", StringComparison.Ordinal))
            {
                inBlock = false;
                if (!skipping)
                {
                    chunk.Append(block);
                    block.Clear();
                }

                if (chunk.Length >= ArmoredChunkBytes)
                {
                    yield return Encoding.UTF8.GetBytes(chunk.ToString());
                    chunk.Clear();
                }
            }
        }

        // An unterminated block goes on as it is, so the upload path names what is wrong with it.
        chunk.Append(block);
        if (chunk.Length > 0)
        {
            yield return Encoding.UTF8.GetBytes(chunk.ToString());
        }
        else
        {
            yield return [];
        }
    }

    private static bool ReadExactly(Stream stream, byte[] buffer, int offset, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var b = stream.ReadByte();
            if (b < 0)
            {
                return false;
            }

            buffer[offset + i] = (byte)b;
        }

        return true;
    }

    /// <summary>The stream with the byte already read to tell binary from armor put back in front.</summary>
    private sealed class PrefixedStream(byte first, Stream inner) : Stream
    {
        private bool _firstPending = true;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty)
            {
                return 0;
            }

            if (_firstPending)
            {
                _firstPending = false;
                buffer[0] = first;
                return 1;
            }

            return inner.Read(buffer);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.IsEmpty)
            {
                return 0;
            }

            if (_firstPending)
            {
                _firstPending = false;
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
