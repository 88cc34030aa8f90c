using System.Buffers.Binary;
using System.Text;

namespace SifSign.Sif;

/// <summary>
/// A data object to write into an image: its bytes and the descriptor fields the writer does not
/// compute itself (sylabs/sif pkg/sif create.go).
/// </summary>
public sealed class SifObjectInput
{
    /// <summary>The object type.</summary>
    public required SifDataType DataType { get; init; }

    /// <summary>The object bytes, read from the current position to the end. The writer does not dispose it.</summary>
    public required Stream Data { get; init; }

    /// <summary>The object name (at most 128 UTF-8 bytes).</summary>
    public string Name { get; init; } = "";

    /// <summary>The object group (default 1); 0 puts the object in no group.</summary>
    public uint GroupId { get; init; } = 1;

    /// <summary>The linked object or group number; 0 for no link.</summary>
    public uint LinkedId { get; init; }

    /// <summary>True when <see cref="LinkedId"/> names a group rather than an object.</summary>
    public bool LinkToGroup { get; init; }

    /// <summary>Data alignment in bytes; null means the default (4096 for partitions, none otherwise).</summary>
    public long? Alignment { get; init; }

    /// <summary>
    /// The type-specific descriptor bytes (at most 384). Build them with <see cref="PartitionExtra"/>,
    /// <see cref="SignatureExtra"/>, <see cref="CryptoMessageExtra"/> or <see cref="SbomExtra"/>. For OCI
    /// types the writer fills in the digest itself.
    /// </summary>
    public ReadOnlyMemory<byte> Extra { get; init; }

    /// <summary>The object's own creation time in Unix seconds; null uses the time of the operation.</summary>
    public long? CreatedAt { get; init; }

    /// <summary>Extra bytes of a partition: file system, partition type and architecture (Go name, e.g. <c>amd64</c>).</summary>
    public static byte[] PartitionExtra(SifFsType fsType, SifPartType partType, string architecture)
    {
        var code = SifNames.ArchitectureCode(architecture)
            ?? throw new SifException($"unknown architecture {architecture}");
        return PartitionExtraFromCode(fsType, partType, code);
    }

    /// <summary>Partition extra bytes with the architecture given as its two-digit code.</summary>
    internal static byte[] PartitionExtraFromCode(SifFsType fsType, SifPartType partType, string code)
    {
        var extra = new byte[SifDescriptor.ExtraSize];
        BinaryPrimitives.WriteInt32LittleEndian(extra, (int)fsType);
        BinaryPrimitives.WriteInt32LittleEndian(extra.AsSpan(4), (int)partType);
        Encoding.ASCII.GetBytes(code.AsSpan(0, Math.Min(code.Length, 2)), extra.AsSpan(8));
        return extra;
    }

    /// <summary>Extra bytes of a signature: hash type and the 20-byte signer fingerprint (empty for none).</summary>
    public static byte[] SignatureExtra(SifHashType hashType, ReadOnlySpan<byte> fingerprint)
    {
        if (fingerprint.Length is not (0 or 20))
        {
            throw new SifException("signature fingerprint must be 20 bytes");
        }

        var extra = new byte[SifDescriptor.ExtraSize];
        BinaryPrimitives.WriteInt32LittleEndian(extra, (int)hashType);
        fingerprint.CopyTo(extra.AsSpan(4));
        return extra;
    }

    /// <summary>Extra bytes of a cryptographic message.</summary>
    public static byte[] CryptoMessageExtra(SifFormatType format, SifMessageType message)
    {
        var extra = new byte[SifDescriptor.ExtraSize];
        BinaryPrimitives.WriteInt32LittleEndian(extra, (int)format);
        BinaryPrimitives.WriteInt32LittleEndian(extra.AsSpan(4), (int)message);
        return extra;
    }

    /// <summary>Extra bytes of an SBOM.</summary>
    public static byte[] SbomExtra(SifSbomFormat format)
    {
        var extra = new byte[SifDescriptor.ExtraSize];
        BinaryPrimitives.WriteInt32LittleEndian(extra, (int)format);
        return extra;
    }
}
