namespace Keyserver.Core.Packets;

/// <summary>Bytes compared by content, for de-duplicating packets in hash sets.</summary>
internal readonly struct ContentKey(ReadOnlyMemory<byte> bytes) : IEquatable<ContentKey>
{
    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public bool Equals(ContentKey other) => Bytes.Span.SequenceEqual(other.Bytes.Span);

    public override bool Equals(object? obj) => obj is ContentKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes.Span);
        return hash.ToHashCode();
    }
}
