using Keyserver.Core.Packets;

namespace Keyserver.Core.Keys;

/// <summary>A user ID, user attribute or subkey packet with the signatures that follow it.</summary>
internal sealed class Component(Packet packet)
{
    private readonly HashSet<ContentKey> _seen = [];

    public Packet Packet { get; } = packet;

    public List<Packet> Signatures { get; } = [];

    /// <summary>Adds a signature unless the same bytes are already there.</summary>
    public bool AddSignature(Packet signature)
    {
        if (!_seen.Add(new ContentKey(signature.Body)))
        {
            return false;
        }

        Signatures.Add(signature);
        return true;
    }
}

/// <summary>
/// A transferable public key grouped into its parts (RFC 9580 §10.1), with duplicates removed by
/// content. Serialised in canonical order: primary key, direct signatures, user IDs, user attributes,
/// subkeys, each followed by its signatures.
/// </summary>
internal sealed class Certificate
{
    private readonly HashSet<ContentKey> _direct = [];
    private readonly Dictionary<ContentKey, Component> _byContent = [];

    public Certificate(Packet primary, KeyPacketInfo info)
    {
        Primary = primary;
        Info = info;
    }

    public Packet Primary { get; }

    public KeyPacketInfo Info { get; }

    public List<Packet> DirectSignatures { get; } = [];

    public List<Component> UserIds { get; } = [];

    public List<Component> UserAttributes { get; } = [];

    public List<Component> Subkeys { get; } = [];

    /// <summary>
    /// Groups packets (the first must be the primary key) into a certificate without judging them.
    /// Trust and marker packets are skipped; anything else unexpected is counted in
    /// <paramref name="unexpected"/>. Null with <paramref name="error"/> when the primary key is unusable.
    /// </summary>
    public static Certificate? Group(IReadOnlyList<Packet> packets, out int unexpected, out string? error)
    {
        unexpected = 0;
        var info = KeyPacketInfo.Parse(packets[0].Body.Span, out error);
        if (info is null)
        {
            return null;
        }

        var certificate = new Certificate(packets[0], info);
        Component? current = null;
        for (var i = 1; i < packets.Count; i++)
        {
            var packet = packets[i];
            switch (packet.Tag)
            {
                case Packet.Signature when current is null:
                    certificate.AddDirect(packet);
                    break;
                case Packet.Signature:
                    current!.AddSignature(packet);
                    break;
                case Packet.UserId or Packet.UserAttribute or Packet.PublicSubkey:
                    current = certificate.GetOrAdd(packet);
                    break;
                case Packet.Trust or Packet.Marker:
                    break;
                default:
                    unexpected++;
                    break;
            }
        }

        return certificate;
    }

    /// <summary>Parses a certificate this code serialised earlier (a stored full key).</summary>
    public static Certificate Parse(ReadOnlyMemory<byte> fullKey)
    {
        var packets = PacketReader.Split(fullKey, out var error);
        if (error is not null || packets.Count == 0 || packets[0].Tag != Packet.PublicKey)
        {
            throw new InvalidDataException($"stored key is malformed: {error ?? "no primary key"}");
        }

        return Group(packets, out _, out error) ?? throw new InvalidDataException($"stored key is malformed: {error}");
    }

    /// <summary>
    /// A copy that can be merged into without changing this one. Packets are immutable and shared,
    /// so this costs a few list copies, not a parse.
    /// </summary>
    public Certificate Copy()
    {
        var copy = new Certificate(Primary, Info);
        copy.MergeFrom(this);
        return copy;
    }

    /// <summary>Adds a direct signature unless the same bytes are already there.</summary>
    public bool AddDirect(Packet signature)
    {
        if (!_direct.Add(new ContentKey(signature.Body)))
        {
            return false;
        }

        DirectSignatures.Add(signature);
        return true;
    }

    /// <summary>The component with this packet's content, added (empty) when new.</summary>
    public Component GetOrAdd(Packet packet)
    {
        var key = new ContentKey(packet.Body);
        if (_byContent.TryGetValue(key, out var existing) && existing.Packet.Tag == packet.Tag)
        {
            return existing;
        }

        var component = new Component(packet);
        _byContent[key] = component;
        (packet.Tag switch
        {
            Packet.UserId => UserIds,
            Packet.UserAttribute => UserAttributes,
            _ => Subkeys,
        }).Add(component);
        return component;
    }

    /// <summary>The component with this packet's content, or null.</summary>
    public Component? Find(Packet packet) =>
        _byContent.TryGetValue(new ContentKey(packet.Body), out var existing) && existing.Packet.Tag == packet.Tag ? existing : null;

    /// <summary>True when the certificate holds this exact signature on the given component (null: direct).</summary>
    public bool Contains(Component? on, Packet signature)
    {
        if (on is null)
        {
            return _direct.Contains(new ContentKey(signature.Body));
        }

        var mine = Find(on.Packet);
        return mine is not null && mine.Signatures.Exists(s => s.SameContent(signature));
    }

    /// <summary>Removes the user IDs <paramref name="remove"/> selects, with their signatures; returns how many.</summary>
    public int RemoveUserIds(Func<Component, bool> remove)
    {
        ArgumentNullException.ThrowIfNull(remove);
        var removed = UserIds.Where(remove).ToList();
        foreach (var component in removed)
        {
            UserIds.Remove(component);
            _byContent.Remove(new ContentKey(component.Packet.Body));
        }

        return removed.Count;
    }

    /// <summary>Adds everything of <paramref name="other"/> (same primary key) that is not here yet.</summary>
    public void MergeFrom(Certificate other)
    {
        foreach (var signature in other.DirectSignatures)
        {
            AddDirect(signature);
        }

        foreach (var component in other.UserIds.Concat(other.UserAttributes).Concat(other.Subkeys))
        {
            var mine = GetOrAdd(component.Packet);
            foreach (var signature in component.Signatures)
            {
                mine.AddSignature(signature);
            }
        }
    }

    /// <summary>The binary transferable public key, in canonical order, new-format headers.</summary>
    public byte[] Serialize(Func<Component, bool>? includeUserId = null, bool includeUserAttributes = true)
    {
        using var output = new MemoryStream();
        Primary.WriteTo(output);
        foreach (var signature in DirectSignatures)
        {
            signature.WriteTo(output);
        }

        foreach (var component in UserIds)
        {
            if (includeUserId is null || includeUserId(component))
            {
                Write(output, component);
            }
        }

        if (includeUserAttributes)
        {
            foreach (var component in UserAttributes)
            {
                Write(output, component);
            }
        }

        foreach (var component in Subkeys)
        {
            Write(output, component);
        }

        return output.ToArray();
    }

    private static void Write(Stream output, Component component)
    {
        component.Packet.WriteTo(output);
        foreach (var signature in component.Signatures)
        {
            signature.WriteTo(output);
        }
    }
}
