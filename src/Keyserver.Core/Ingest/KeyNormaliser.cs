using System.Text;
using Keyserver.Core.Keys;
using Keyserver.Core.Packets;

namespace Keyserver.Core.Ingest;

/// <summary>A key after the structural filters, before any signature was checked.</summary>
internal sealed class Candidate(Certificate key, DropLog dropped)
{
    public Certificate Key { get; } = key;

    public DropLog Dropped { get; } = dropped;

    public string Fingerprint => Key.Info.FingerprintHex;
}

/// <summary>
/// Turns the packets of one uploaded key into a certificate holding only what may be stored:
/// first the cheap structural filters (secret material, sizes, limits, third-party signatures,
/// user attributes), then the cryptographic check of each new self-signature.
/// </summary>
internal static class KeyNormaliser
{
    public const string SecretKeyReason = "secret key material is never accepted";
    public const string NothingValidReason = "no valid self-signed user ID or direct-key signature left";

    /// <summary>The structural pass: no cryptography, so it is cheap for any amount of data.</summary>
    public static Candidate? Filter(IReadOnlyList<Packet> packets, KeyLimits limits, out string? reason, out string? fingerprint)
    {
        fingerprint = null;
        reason = null;
        long size = 0;
        foreach (var packet in packets)
        {
            if (packet.Tag is Packet.SecretKey or Packet.SecretSubkey)
            {
                reason = SecretKeyReason;
                return null;
            }

            size += packet.Body.Length;
        }

        var primaryInfo = KeyPacketInfo.Parse(packets[0].Body.Span, out var error);
        if (primaryInfo is null)
        {
            reason = error;
            return null;
        }

        fingerprint = primaryInfo.FingerprintHex;
        if (size > limits.MaxKeyBytes)
        {
            reason = $"key exceeds {limits.MaxKeyBytes} bytes";
            return null;
        }

        if (packets[0].Body.Length > limits.MaxPacketBytes)
        {
            reason = $"primary key packet exceeds {limits.MaxPacketBytes} bytes";
            return null;
        }

        var dropped = new DropLog();
        var kept = new List<Packet>(packets.Count) { packets[0] };
        var skipping = false;
        for (var i = 1; i < packets.Count; i++)
        {
            var packet = packets[i];
            var length = packet.Body.Length;
            if (packet.Tag == Packet.Signature)
            {
                if (skipping)
                {
                    continue;
                }

                if (length > limits.MaxSignaturePacketBytes)
                {
                    dropped.Count($"oversize signature packet (> {limits.MaxSignaturePacketBytes} bytes)", $"oversize signature packets (> {limits.MaxSignaturePacketBytes} bytes)");
                    continue;
                }

                kept.Add(packet);
                continue;
            }

            // A dropped user ID, attribute or subkey takes its signatures with it.
            skipping = false;
            if (packet.Tag == Packet.UserAttribute && !limits.KeepUserAttributes)
            {
                dropped.Count("user attribute (photo ID)", "user attributes (photo IDs)");
                skipping = true;
            }
            else if (packet.Tag == Packet.UserId && length > limits.MaxUserIdBytes)
            {
                dropped.Add($"1 oversize user ID ({length} bytes > {limits.MaxUserIdBytes})");
                skipping = true;
            }
            else if (length > limits.MaxPacketBytes)
            {
                dropped.Add($"1 oversize packet ({length} bytes > {limits.MaxPacketBytes})");
                skipping = true;
            }
            else
            {
                kept.Add(packet);
            }
        }

        var grouped = Certificate.Group(kept, out var unexpected, out error)!;
        dropped.Count("unexpected packet", "unexpected packets", unexpected);
        if (grouped.UserIds.Count > limits.MaxUserIds)
        {
            reason = $"key has {grouped.UserIds.Count} user IDs (limit {limits.MaxUserIds})";
            return null;
        }

        if (grouped.Subkeys.Count > limits.MaxSubkeys)
        {
            reason = $"key has {grouped.Subkeys.Count} subkeys (limit {limits.MaxSubkeys})";
            return null;
        }

        return new Candidate(SortSignatures(grouped, limits, dropped), dropped);
    }

    /// <summary>
    /// The cryptographic pass: keeps each self-signature that is already stored or verifies, and each
    /// component left with a valid self-signature. Null with a reason when the key is unusable.
    /// </summary>
    public static Certificate? Verify(Candidate candidate, Certificate? stored, KeyLimits limits, out string? reason)
    {
        reason = null;
        var upload = candidate.Key;
        var info = upload.Info;
        var dropped = candidate.Dropped;
        using var verifier = new SignatureVerifier(upload.Primary, info.Version);
        if (!verifier.CanVerify && stored is null)
        {
            reason = $"unsupported public-key algorithm {info.Algorithm}";
            return null;
        }

        var result = new Certificate(upload.Primary, info);
        var invalid = 0;
        var hasDirectKey = false;
        foreach (var signature in upload.DirectSignatures)
        {
            if (stored?.Contains(null, signature) == true || verifier.VerifyDirect(signature))
            {
                result.AddDirect(signature);
                hasDirectKey |= SignatureInfo.Parse(signature.Body)!.Type == SignatureInfo.DirectKey;
            }
            else
            {
                invalid++;
            }
        }

        foreach (var component in upload.UserIds.Concat(upload.UserAttributes))
        {
            var storedComponent = stored?.Find(component.Packet);
            var valid = new List<Packet>();
            var certified = storedComponent is not null;
            foreach (var signature in component.Signatures)
            {
                var signatureInfo = SignatureInfo.Parse(signature.Body)!;
                if (!signatureInfo.IssuedBy(info.Fingerprint, info.KeyId))
                {
                    // Third-party certifications reach this point only when the policy keeps them.
                    valid.Add(signature);
                }
                else if (storedComponent?.Signatures.Exists(s => s.SameContent(signature)) == true
                    || verifier.VerifyUserId(component.Packet, signature))
                {
                    valid.Add(signature);
                    certified |= signatureInfo.IsCertification;
                }
                else
                {
                    invalid++;
                }
            }

            if (!certified)
            {
                dropped.Add(component.Packet.Tag == Packet.UserId
                    ? $"user ID '{Describe(component.Packet)}': no valid self-signature"
                    : "user attribute: no valid self-signature");
                continue;
            }

            var added = result.GetOrAdd(component.Packet);
            valid.ForEach(s => added.AddSignature(s));
        }

        foreach (var component in upload.Subkeys)
        {
            var subkey = KeyPacketInfo.Parse(component.Packet.Body.Span, out var subkeyError);
            if (subkey is null)
            {
                dropped.Add($"subkey: {subkeyError}");
                continue;
            }

            var storedComponent = stored?.Find(component.Packet);
            var valid = new List<Packet>();
            var bound = storedComponent is not null;
            foreach (var signature in component.Signatures)
            {
                var known = storedComponent?.Signatures.Exists(s => s.SameContent(signature)) == true;
                var signatureInfo = SignatureInfo.Parse(signature.Body)!;
                if (known || (verifier.VerifySubkey(component.Packet, subkey.Version, signature)
                    && (signatureInfo.Type != SignatureInfo.SubkeyBinding || HasBackSignature(verifier, component.Packet, subkey.Version, signatureInfo))))
                {
                    valid.Add(signature);
                    bound |= signatureInfo.Type == SignatureInfo.SubkeyBinding;
                }
                else
                {
                    invalid++;
                }
            }

            if (!bound)
            {
                dropped.Add($"subkey 0x{subkey.KeyIdHex}: no valid binding");
                continue;
            }

            var added = result.GetOrAdd(component.Packet);
            valid.ForEach(s => added.AddSignature(s));
        }

        dropped.Count("invalid self-signature", "invalid self-signatures", invalid);
        if (stored is null && !hasDirectKey && result.UserIds.Count == 0)
        {
            reason = NothingValidReason;
            return null;
        }

        // An early refusal that saves the write; the write checks the merged key again (KeyIngestor).
        if (stored is not null && limits.Violation(
                0,
                stored.UserIds.Count + result.UserIds.Count(c => stored.Find(c.Packet) is null),
                stored.Subkeys.Count + result.Subkeys.Count(c => stored.Find(c.Packet) is null)) is { } violation)
        {
            reason = violation;
            return null;
        }

        return result;
    }

    /// <summary>A printable, bounded form of a user ID for messages.</summary>
    public static string Describe(Packet userId)
    {
        var text = Encoding.UTF8.GetString(userId.Body.Span);
        return text.Length > 80 ? text[..80] + "…" : text;
    }

    // A subkey that may sign must prove it agrees to be bound (RFC 9580 §5.2.1, 0x19), or anyone
    // could attach a victim's signing key to their own certificate.
    private static bool HasBackSignature(SignatureVerifier verifier, Packet subkey, int version, SignatureInfo binding)
    {
        if (((binding.KeyFlags ?? 0) & 0x02) == 0)
        {
            return true;
        }

        foreach (var embedded in binding.Embedded)
        {
            if (verifier.VerifyBackSignature(subkey, version, embedded))
            {
                return true;
            }
        }

        return false;
    }

    // Keeps on each component only the signature types that belong there, issued by the primary key
    // (or by others when the policy keeps third-party certifications).
    private static Certificate SortSignatures(Certificate grouped, KeyLimits limits, DropLog dropped)
    {
        var info = grouped.Info;
        var result = new Certificate(grouped.Primary, info);
        int thirdParty = 0, misplaced = 0, unparseable = 0;
        foreach (var signature in grouped.DirectSignatures)
        {
            var s = SignatureInfo.Parse(signature.Body);
            if (s is null)
            {
                unparseable++;
            }
            else if (!s.IssuedBy(info.Fingerprint, info.KeyId))
            {
                // Designated revokers are not supported: their revocations are dropped with the rest.
                thirdParty++;
            }
            else if (s.Type is SignatureInfo.DirectKey or SignatureInfo.KeyRevocation)
            {
                result.AddDirect(signature);
            }
            else
            {
                misplaced++;
            }
        }

        foreach (var component in grouped.UserIds.Concat(grouped.UserAttributes).Concat(grouped.Subkeys))
        {
            var isSubkey = component.Packet.Tag == Packet.PublicSubkey;
            var target = result.GetOrAdd(component.Packet);
            foreach (var signature in component.Signatures)
            {
                var s = SignatureInfo.Parse(signature.Body);
                if (s is null)
                {
                    unparseable++;
                    continue;
                }

                var self = s.IssuedBy(info.Fingerprint, info.KeyId);
                var fits = isSubkey
                    ? s.Type is SignatureInfo.SubkeyBinding or SignatureInfo.SubkeyRevocation
                    : s.IsCertification || s.Type == SignatureInfo.CertRevocation;
                if (!fits)
                {
                    misplaced++;
                }
                else if (self)
                {
                    target.AddSignature(signature);
                }
                else if (!isSubkey && limits.KeepThirdPartyCertifications)
                {
                    target.AddSignature(signature);
                }
                else
                {
                    thirdParty++;
                }
            }
        }

        dropped.Count("third-party certification", "third-party certifications", thirdParty);
        dropped.Count("misplaced signature", "misplaced signatures", misplaced);
        dropped.Count("unparseable signature", "unparseable signatures", unparseable);
        return result;
    }
}
