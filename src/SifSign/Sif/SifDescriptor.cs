using System.Buffers.Binary;
using System.Text;

namespace SifSign.Sif;

/// <summary>
/// One 585-byte descriptor record (SIF format, sylabs/sif pkg/sif sif.go). Immutable snapshot of the record as read or written.
/// </summary>
public sealed record SifDescriptor
{
    /// <summary>Size of a descriptor record on disk.</summary>
    public const int RecordSize = 585;

    /// <summary>Size of the descriptor integrity bytes (sylabs/sif pkg/integrity metadata.go).</summary>
    public const int IntegritySize = 557;

    /// <summary>The flag writers set on group IDs and on links to groups.</summary>
    public const uint GroupMask = 0xF0000000;

    internal const int NameSize = 128;
    internal const int ExtraSize = 384;

    /// <summary>The type of the object.</summary>
    public required SifDataType DataType { get; init; }

    /// <summary>The object ID (slot index + 1 at write time).</summary>
    public required uint Id { get; init; }

    /// <summary>The group ID as stored, flag included (<c>0xF0000001</c> for group 1).</summary>
    public required uint RawGroupId { get; init; }

    /// <summary>The link as stored, flag included when it points to a group.</summary>
    public required uint RawLinkedId { get; init; }

    /// <summary>Absolute file offset of the object data.</summary>
    public required long Offset { get; init; }

    /// <summary>Length of the object data.</summary>
    public required long Size { get; init; }

    /// <summary>Alignment padding plus <see cref="Size"/>.</summary>
    public required long SizeWithPadding { get; init; }

    /// <summary>Creation time in Unix seconds.</summary>
    public required long CreatedAt { get; init; }

    /// <summary>Modification time in Unix seconds.</summary>
    public required long ModifiedAt { get; init; }

    /// <summary>Deprecated owner UID (covered by signatures, so kept verbatim).</summary>
    public long Uid { get; init; }

    /// <summary>Deprecated owner GID (covered by signatures, so kept verbatim).</summary>
    public long Gid { get; init; }

    /// <summary>The raw 128 name bytes.</summary>
    public required ReadOnlyMemory<byte> NameBytes { get; init; }

    /// <summary>The raw 384 type-specific bytes (SIF format, sylabs/sif pkg/sif descriptor.go).</summary>
    public required ReadOnlyMemory<byte> Extra { get; init; }

    /// <summary>The group number without the flag; 0 means "no group".</summary>
    public uint GroupId => RawGroupId & ~GroupMask;

    /// <summary>The linked object or group number without the flag; 0 means "no link".</summary>
    public uint LinkedId => IsLinkedToGroup ? RawLinkedId & ~GroupMask : RawLinkedId;

    /// <summary>True when the link points to a group rather than an object.</summary>
    public bool IsLinkedToGroup => (RawLinkedId & GroupMask) == GroupMask;

    /// <summary>The object name with trailing NULs removed.</summary>
    public string Name => SifHeader.TrimNul(NameBytes.Span);

    /// <summary>
    /// Partition metadata (the architecture as its two-digit code, see <see cref="SifNames.ArchitectureName"/>);
    /// throws <see cref="SifException"/> if this is not a partition.
    /// </summary>
    public (SifFsType FsType, SifPartType PartType, string ArchCode) GetPartitionMetadata()
    {
        Expect(SifDataType.Partition);
        var e = Extra.Span;
        return ((SifFsType)BinaryPrimitives.ReadInt32LittleEndian(e),
            (SifPartType)BinaryPrimitives.ReadInt32LittleEndian(e[4..]),
            SifHeader.CString(e.Slice(8, 3)));
    }

    /// <summary>
    /// Signature metadata: the hash type and the 20-byte signer fingerprint (null when the first 20
    /// entity bytes are zero, as for DSSE). Throws <see cref="SifException"/> "hash algorithm
    /// unsupported" for unknown hash types.
    /// </summary>
    public (SifHashType HashType, byte[]? Fingerprint) GetSignatureMetadata()
    {
        Expect(SifDataType.Signature);
        var e = Extra.Span;
        var hashType = (SifHashType)BinaryPrimitives.ReadInt32LittleEndian(e);
        if (!Enum.IsDefined(hashType))
        {
            throw new SifException("hash algorithm unsupported");
        }

        var fingerprint = e.Slice(4, 20);
        return (hashType, fingerprint.ContainsAnyExcept((byte)0) ? fingerprint.ToArray() : null);
    }

    /// <summary>Cryptographic message metadata.</summary>
    public (SifFormatType Format, SifMessageType Message) GetCryptoMessageMetadata()
    {
        Expect(SifDataType.CryptoMessage);
        var e = Extra.Span;
        return ((SifFormatType)BinaryPrimitives.ReadInt32LittleEndian(e),
            (SifMessageType)BinaryPrimitives.ReadInt32LittleEndian(e[4..]));
    }

    /// <summary>SBOM metadata.</summary>
    public SifSbomFormat GetSbomMetadata()
    {
        Expect(SifDataType.Sbom);
        return (SifSbomFormat)BinaryPrimitives.ReadInt32LittleEndian(Extra.Span);
    }

    /// <summary>The OCI digest text (<c>sha256:…</c>) of an OCI root index or blob.</summary>
    public string GetOciDigest()
    {
        if (DataType is not (SifDataType.OciRootIndex or SifDataType.OciBlob))
        {
            throw new SifException($"unexpected data type {DataType.Name()}");
        }

        return SifHeader.CString(Extra.Span);
    }

    /// <summary>
    /// The 557 descriptor integrity bytes signatures cover (sylabs/sif pkg/integrity metadata.go), for a given ID relative to the
    /// lowest ID of the object's group.
    /// </summary>
    public byte[] GetIntegrityBytes(uint relativeId)
    {
        var b = new byte[IntegritySize];
        var s = b.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(s, (int)DataType);
        s[4] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(s[5..], relativeId);
        BinaryPrimitives.WriteUInt32LittleEndian(s[9..], RawLinkedId);
        BinaryPrimitives.WriteInt64LittleEndian(s[13..], Size);
        BinaryPrimitives.WriteInt64LittleEndian(s[21..], CreatedAt);
        BinaryPrimitives.WriteInt64LittleEndian(s[29..], Uid);
        BinaryPrimitives.WriteInt64LittleEndian(s[37..], Gid);
        NameBytes.Span.CopyTo(s[45..]);
        Extra.Span.CopyTo(s[173..]);
        return b;
    }

    /// <summary>Reads a record; returns null for an unused slot.</summary>
    internal static SifDescriptor? Parse(ReadOnlySpan<byte> b)
    {
        if (b[4] == 0)
        {
            return null;
        }

        return new SifDescriptor
        {
            DataType = (SifDataType)BinaryPrimitives.ReadInt32LittleEndian(b),
            Id = BinaryPrimitives.ReadUInt32LittleEndian(b[5..]),
            RawGroupId = BinaryPrimitives.ReadUInt32LittleEndian(b[9..]),
            RawLinkedId = BinaryPrimitives.ReadUInt32LittleEndian(b[13..]),
            Offset = BinaryPrimitives.ReadInt64LittleEndian(b[17..]),
            Size = BinaryPrimitives.ReadInt64LittleEndian(b[25..]),
            SizeWithPadding = BinaryPrimitives.ReadInt64LittleEndian(b[33..]),
            CreatedAt = BinaryPrimitives.ReadInt64LittleEndian(b[41..]),
            ModifiedAt = BinaryPrimitives.ReadInt64LittleEndian(b[49..]),
            Uid = BinaryPrimitives.ReadInt64LittleEndian(b[57..]),
            Gid = BinaryPrimitives.ReadInt64LittleEndian(b[65..]),
            NameBytes = b.Slice(73, NameSize).ToArray(),
            Extra = b.Slice(201, ExtraSize).ToArray(),
        };
    }

    internal void Write(Span<byte> b)
    {
        b[..RecordSize].Clear();
        BinaryPrimitives.WriteInt32LittleEndian(b, (int)DataType);
        b[4] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(b[5..], Id);
        BinaryPrimitives.WriteUInt32LittleEndian(b[9..], RawGroupId);
        BinaryPrimitives.WriteUInt32LittleEndian(b[13..], RawLinkedId);
        BinaryPrimitives.WriteInt64LittleEndian(b[17..], Offset);
        BinaryPrimitives.WriteInt64LittleEndian(b[25..], Size);
        BinaryPrimitives.WriteInt64LittleEndian(b[33..], SizeWithPadding);
        BinaryPrimitives.WriteInt64LittleEndian(b[41..], CreatedAt);
        BinaryPrimitives.WriteInt64LittleEndian(b[49..], ModifiedAt);
        BinaryPrimitives.WriteInt64LittleEndian(b[57..], Uid);
        BinaryPrimitives.WriteInt64LittleEndian(b[65..], Gid);
        NameBytes.Span.CopyTo(b[73..]);
        Extra.Span.CopyTo(b[201..]);
    }

    internal static byte[] EncodeName(string name)
    {
        var bytes = new byte[NameSize];
        if (Encoding.UTF8.GetByteCount(name) > NameSize)
        {
            throw new SifException($"name value {name} exceeds {NameSize} bytes");
        }

        Encoding.UTF8.GetBytes(name, bytes);
        return bytes;
    }

    private void Expect(SifDataType type)
    {
        if (DataType != type)
        {
            throw new SifException($"unexpected data type {DataType.Name()}, expected {type.Name()}");
        }
    }
}
