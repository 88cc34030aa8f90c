namespace Keyserver.Core.Packets;

/// <summary>
/// Recognises secret key material in an upload before anything else looks at it, so that every
/// upload path can refuse it with one plain message and never store, log or echo it.
/// </summary>
public static class SecretKeyDetector
{
    /// <summary>The answer for an upload that holds a secret key; says nothing about the key itself.</summary>
    public const string Message =
        "This is a secret key. It was not stored or logged, and it is not shown back. "
        + "Only the public key belongs on a keyserver: export it with \"gpg --armor --export FINGERPRINT\" "
        + "or \"sq key extract-cert\" and upload that.";

    /// <summary>
    /// True when <paramref name="input"/> holds an armored private key block (RFC 9580 §6.2,
    /// "BEGIN PGP PRIVATE KEY BLOCK") or a Secret-Key or Secret-Subkey packet (RFC 9580 §5.5.1.3 and
    /// §5.5.1.4, tags 5 and 7), armored under any label or binary.
    /// </summary>
    /// <param name="input">The upload as received.</param>
    public static bool ContainsSecretKey(ReadOnlyMemory<byte> input)
    {
        var span = input.Span;
        if (span.IndexOf("PRIVATE KEY BLOCK"u8) >= 0 || span.IndexOf("SECRET KEY BLOCK"u8) >= 0)
        {
            return true;
        }

        if (!ArmorDecoder.LooksArmored(span))
        {
            return HasSecretPacket(input);
        }

        foreach (var block in ArmorDecoder.Decode(span))
        {
            if (block.Data is { } data && HasSecretPacket(data))
            {
                return true;
            }
        }

        return false;
    }

    // Packets up to the first malformed header are enough: a secret key starts with its key packet.
    private static bool HasSecretPacket(ReadOnlyMemory<byte> data) =>
        PacketReader.Split(data, out _).Any(p => p.Tag is Packet.SecretKey or Packet.SecretSubkey);
}
