using System.Buffers.Binary;
using System.Text;

namespace SifSign.Sif;

/// <summary>
/// The 128-byte global header at offset 0 of a SIF image (SIF format, sylabs/sif pkg/sif sif.go). Immutable: the writer builds a new
/// header for each change.
/// </summary>
public sealed record SifHeader
{
    /// <summary>Size of the header on disk.</summary>
    public const int RecordSize = 128;

    /// <summary>Size of the header integrity bytes (launch script, magic, version, ID; sylabs/sif pkg/integrity metadata.go).</summary>
    public const int IntegritySize = 61;

    /// <summary>The value Go's zero <c>time.Time</c> stores: "unset" (0001-01-01).</summary>
    public const long UnsetTime = -62135596800;

    internal const int LaunchScriptSize = 32;
    internal static ReadOnlySpan<byte> Magic => "SIF_MAGIC\0"u8;
    internal static ReadOnlySpan<byte> CurrentVersion => "01\0"u8;

    /// <summary>The raw 32 launch-script bytes (NUL padded).</summary>
    public required ReadOnlyMemory<byte> LaunchScriptBytes { get; init; }

    /// <summary>The raw 3 version bytes (<c>"01\0"</c>).</summary>
    public required ReadOnlyMemory<byte> VersionBytes { get; init; }

    /// <summary>The two-digit architecture code of the primary system partition (<c>"00"</c> if none).</summary>
    public required string Arch { get; init; }

    /// <summary>The image UUID (stored big-endian, RFC 4122 order).</summary>
    public required Guid Id { get; init; }

    /// <summary>Creation time in Unix seconds (<see cref="UnsetTime"/> when unset).</summary>
    public required long CreatedAt { get; init; }

    /// <summary>Modification time in Unix seconds (<see cref="UnsetTime"/> when unset).</summary>
    public required long ModifiedAt { get; init; }

    /// <summary>Number of unused descriptor slots.</summary>
    public required long DescriptorsFree { get; init; }

    /// <summary>Number of descriptor slots.</summary>
    public required long DescriptorsTotal { get; init; }

    /// <summary>File offset of the descriptor array.</summary>
    public required long DescriptorsOffset { get; init; }

    /// <summary>Size of the descriptor array in bytes.</summary>
    public required long DescriptorsSize { get; init; }

    /// <summary>File offset where object data starts.</summary>
    public required long DataOffset { get; init; }

    /// <summary>Size of the data area (end of the highest object minus <see cref="DataOffset"/>).</summary>
    public required long DataSize { get; init; }

    /// <summary>The launch script up to the first NUL.</summary>
    public string LaunchScript => TrimNul(LaunchScriptBytes.Span);

    /// <summary>The version string up to the first NUL (<c>01</c>).</summary>
    public string Version => TrimNul(VersionBytes.Span);

    /// <summary>True when the image is deterministic: nil UUID and both times unset (sylabs/sif pkg/sif create.go, OptCreateDeterministic).</summary>
    public bool IsDeterministic => Id == Guid.Empty && CreatedAt == UnsetTime && ModifiedAt == UnsetTime;

    /// <summary>The 61 header integrity bytes that signatures cover (sylabs/sif pkg/integrity metadata.go).</summary>
    public byte[] GetIntegrityBytes()
    {
        var bytes = new byte[IntegritySize];
        LaunchScriptBytes.Span.CopyTo(bytes);
        Magic.CopyTo(bytes.AsSpan(32));
        VersionBytes.Span.CopyTo(bytes.AsSpan(42));
        Id.TryWriteBytes(bytes.AsSpan(45), bigEndian: true, out _);
        return bytes;
    }

    internal static SifHeader Parse(ReadOnlySpan<byte> b)
    {
        if (b.Length < RecordSize)
        {
            throw new SifFormatException("invalid SIF header: file is truncated");
        }

        if (!b.Slice(32, 10).SequenceEqual(Magic))
        {
            throw new SifFormatException("invalid SIF magic");
        }

        if (!b.Slice(42, 3).SequenceEqual(CurrentVersion))
        {
            throw new SifFormatException("incompatible SIF version");
        }

        return new SifHeader
        {
            LaunchScriptBytes = b[..32].ToArray(),
            VersionBytes = b.Slice(42, 3).ToArray(),
            Arch = CString(b.Slice(45, 3)),
            Id = new Guid(b.Slice(48, 16), bigEndian: true),
            CreatedAt = BinaryPrimitives.ReadInt64LittleEndian(b[64..]),
            ModifiedAt = BinaryPrimitives.ReadInt64LittleEndian(b[72..]),
            DescriptorsFree = BinaryPrimitives.ReadInt64LittleEndian(b[80..]),
            DescriptorsTotal = BinaryPrimitives.ReadInt64LittleEndian(b[88..]),
            DescriptorsOffset = BinaryPrimitives.ReadInt64LittleEndian(b[96..]),
            DescriptorsSize = BinaryPrimitives.ReadInt64LittleEndian(b[104..]),
            DataOffset = BinaryPrimitives.ReadInt64LittleEndian(b[112..]),
            DataSize = BinaryPrimitives.ReadInt64LittleEndian(b[120..]),
        };
    }

    internal void Write(Span<byte> b)
    {
        b[..RecordSize].Clear();
        LaunchScriptBytes.Span.CopyTo(b);
        Magic.CopyTo(b[32..]);
        VersionBytes.Span.CopyTo(b[42..]);
        Encoding.ASCII.GetBytes(Arch.AsSpan(0, Math.Min(Arch.Length, 2)), b[45..]);
        Id.TryWriteBytes(b[48..], bigEndian: true, out _);
        BinaryPrimitives.WriteInt64LittleEndian(b[64..], CreatedAt);
        BinaryPrimitives.WriteInt64LittleEndian(b[72..], ModifiedAt);
        BinaryPrimitives.WriteInt64LittleEndian(b[80..], DescriptorsFree);
        BinaryPrimitives.WriteInt64LittleEndian(b[88..], DescriptorsTotal);
        BinaryPrimitives.WriteInt64LittleEndian(b[96..], DescriptorsOffset);
        BinaryPrimitives.WriteInt64LittleEndian(b[104..], DescriptorsSize);
        BinaryPrimitives.WriteInt64LittleEndian(b[112..], DataOffset);
        BinaryPrimitives.WriteInt64LittleEndian(b[120..], DataSize);
    }

    // Go trims trailing NULs only (bytes.TrimRight), so a NUL in the middle stays part of the string.
    internal static string TrimNul(ReadOnlySpan<byte> b) => Encoding.UTF8.GetString(b.TrimEnd((byte)0));

    internal static string CString(ReadOnlySpan<byte> b)
    {
        var end = b.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? b : b[..end]);
    }
}
