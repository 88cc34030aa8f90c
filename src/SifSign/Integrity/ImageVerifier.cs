using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SifSign.Sif;

namespace SifSign.Integrity;

/// <summary>
/// Verifies image signatures with exactly the decision procedure of the reference (sylabs/sif pkg/integrity verify.go):
/// task selection, the non-grouped-object rule, every group-linked signature required, exact group
/// coverage for group tasks, and the reference's error meanings.
/// </summary>
public static class ImageVerifier
{
    /// <summary>The largest signature object read into memory; larger ones are reported as not valid.</summary>
    public const int MaxSignatureSize = 1 << 20;

    private static readonly byte[] LegacyPrefix = "SIFHASH:\n"u8.ToArray();

    /// <summary>
    /// Opens the image read-only and verifies it. Throws <see cref="SifException"/> (or
    /// <see cref="SifFormatException"/>) only when the file cannot be read as SIF; every integrity outcome
    /// is in the result. <paramref name="progress"/> receives the object bytes hashed per chunk.
    /// </summary>
    public static VerifyResult Verify(string imagePath, VerifyOptions options, IVerificationKeys? keys, IProgress<long>? progress = null)
    {
        using var image = SifImage.Open(imagePath);
        return Verify(image, options, keys, progress);
    }

    /// <summary>Verifies an open image.</summary>
    public static VerifyResult Verify(SifImage image, VerifyOptions options, IVerificationKeys? keys, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        var checks = new List<SignatureCheck>();
        var (tasks, taskError) = Tasks(image, options);
        if (taskError is not null)
        {
            return new VerifyResult(false, checks, taskError);
        }

        if (image.Descriptors.Any(d => d.GroupId == 0 && d.DataType != SifDataType.Signature))
        {
            return new VerifyResult(false, checks, new IntegrityError(
                IntegrityErrorKind.NonGroupedObject, "non-signature object not associated with object group"));
        }

        var cache = new DigestCache(image, progress);
        foreach (var task in tasks)
        {
            var (signatures, notFound) = Signatures(image, task);
            if (notFound is not null)
            {
                return new VerifyResult(false, checks, notFound);
            }

            foreach (var signature in signatures)
            {
                var (check, ignorable) = task.Legacy
                    ? CheckLegacy(image, task, signature, options, keys, cache, progress)
                    : CheckModern(image, task, signature, options, keys, cache);
                checks.Add(check);
                if (check.Error is not null && !(ignorable && options.IgnoreError?.Invoke(check) == true))
                {
                    return new VerifyResult(false, checks, check.Error);
                }
            }
        }

        return new VerifyResult(true, checks, null);
    }

    /// <summary>
    /// The distinct descriptor fingerprints of the selected tasks' signatures, sorted (Go's
    /// <c>AnySignedBy</c>, or with <paramref name="all"/> <c>AllSignedBy</c>: present in every task).
    /// No cryptography is checked: call it after a successful <see cref="Verify(SifImage, VerifyOptions, IVerificationKeys?, IProgress{long}?)"/>.
    /// </summary>
    public static IReadOnlyList<byte[]> SignedBy(SifImage image, VerifyOptions options, bool all)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        var (tasks, error) = Tasks(image, options);
        if (error is not null)
        {
            throw new IntegrityException(error);
        }

        var counts = new Dictionary<string, int>();
        foreach (var task in tasks)
        {
            var fingerprints = new HashSet<string>();
            foreach (var signature in Signatures(image, task).Signatures)
            {
                if (signature.GetSignatureMetadata().Fingerprint is { } fp)
                {
                    fingerprints.Add(Convert.ToHexString(fp));
                }
            }

            foreach (var fp in fingerprints)
            {
                counts[fp] = counts.GetValueOrDefault(fp) + 1;
            }
        }

        return [.. counts.Where(c => !all || c.Value == tasks.Count).Select(c => c.Key).Order(StringComparer.Ordinal).Select(Convert.FromHexString)];
    }

    private static (List<VerifyTask> Tasks, IntegrityError? Error) Tasks(SifImage image, VerifyOptions options)
    {
        var tasks = new List<VerifyTask>();
        var groupIds = new List<uint>();
        var objectIds = new List<uint>();
        if (options.GroupId is { } g)
        {
            if (g == 0)
            {
                return (tasks, new IntegrityError(IntegrityErrorKind.InvalidId, "invalid group ID"));
            }

            groupIds.Add(g);
        }

        if (options.ObjectId is { } o)
        {
            if (o == 0)
            {
                return (tasks, new IntegrityError(IntegrityErrorKind.InvalidId, "invalid object ID"));
            }

            objectIds.Add(o);
        }

        if (options.LegacyInsecure && options.AllObjects)
        {
            objectIds.AddRange(image.Descriptors.Where(d => d.DataType != SifDataType.Signature && d.GroupId != 0).Select(d => d.Id));
        }
        else if (options.LegacyInsecure && groupIds.Count == 0 && objectIds.Count == 0)
        {
            // Apptainer's wrapper: plain legacy verification covers the primary system partition only.
            var primary = image.Descriptors.FirstOrDefault(d => d.DataType == SifDataType.Partition
                && d.GetPartitionMetadata().PartType == SifPartType.PrimarySystem);
            if (primary is null)
            {
                return (tasks, new IntegrityError(IntegrityErrorKind.ObjectNotFound, "object not found"));
            }

            objectIds.Add(primary.Id);
        }

        if (groupIds.Count == 0 && objectIds.Count == 0)
        {
            groupIds.AddRange(image.Descriptors.Select(d => d.GroupId).Where(id => id != 0).Distinct());
            if (groupIds.Count == 0)
            {
                return (tasks, new IntegrityError(IntegrityErrorKind.NoGroupsFound, "no groups found"));
            }
        }

        foreach (var groupId in groupIds.Distinct().Order())
        {
            var objects = image.Descriptors.Where(d => d.GroupId == groupId).OrderBy(d => d.Id).ToList();
            if (objects.Count == 0)
            {
                return (tasks, new IntegrityError(IntegrityErrorKind.GroupNotFound, "group not found"));
            }

            tasks.Add(new VerifyTask(groupId, objects, SubsetOk: false, options.LegacyInsecure, ObjectId: null));
        }

        foreach (var id in objectIds.Distinct().Order())
        {
            var descriptor = image.FindDescriptor(id);
            if (descriptor is null)
            {
                return (tasks, new IntegrityError(IntegrityErrorKind.ObjectNotFound, "object not found", id));
            }

            tasks.Add(new VerifyTask(descriptor.GroupId, [descriptor], SubsetOk: true, options.LegacyInsecure, ObjectId: id));
        }

        return (tasks, null);
    }

    private static (List<SifDescriptor> Signatures, IntegrityError? NotFound) Signatures(SifImage image, VerifyTask task)
    {
        var signatures = image.Descriptors.Where(d => d.DataType == SifDataType.Signature).ToList();
        if (task.Legacy && task.ObjectId is { } objectId)
        {
            var linked = signatures.Where(s => !s.IsLinkedToGroup && s.LinkedId == objectId).ToList();
            return (linked, linked.Count == 0 ? IntegrityError.ObjectSignatureNotFound(objectId) : null);
        }

        var group = signatures.Where(s => s.IsLinkedToGroup && s.LinkedId == task.GroupId && IsLegacy(image, s) == task.Legacy).ToList();
        return (group, group.Count == 0 ? IntegrityError.GroupSignatureNotFound(task.GroupId) : null);
    }

    private static bool IsLegacy(SifImage image, SifDescriptor signature)
    {
        if (signature.Size > MaxSignatureSize)
        {
            return false;
        }

        var message = ClearSign.Decode(image.ReadObject(signature, MaxSignatureSize));
        return message is not null && message.Plaintext.AsSpan().StartsWith(LegacyPrefix);
    }

    private static (SignatureCheck Check, bool Ignorable) CheckModern(
        SifImage image, VerifyTask task, SifDescriptor signature, VerifyOptions options, IVerificationKeys? keys, DigestCache cache)
    {
        var result = new SignatureCheck(signature, SignatureFormat.Unknown, null, null, [], null);
        byte[]? fingerprint;
        try
        {
            fingerprint = signature.GetSignatureMetadata().Fingerprint;
        }
        catch (SifException e)
        {
            return (result with { Error = new IntegrityError(IntegrityErrorKind.DigestUnsupported, e.Message, signature.Id) }, true);
        }

        result = result with { Fingerprint = fingerprint };
        if (signature.Size > MaxSignatureSize)
        {
            return (result with { Error = IntegrityError.NotValid(signature.Id, $"signature object larger than {MaxSignatureSize} bytes") }, true);
        }

        var data = image.ReadObject(signature, MaxSignatureSize);
        byte[] payload;
        if (IsEnvelope(data))
        {
            result = result with { Format = SignatureFormat.Dsse };
            if (options.Envelope is null)
            {
                return (result with { Error = new IntegrityError(IntegrityErrorKind.KeyMaterialNotProvided, "key material not provided for DSSE envelope signature") }, false);
            }

            try
            {
                payload = options.Envelope.Verify(data);
            }
            catch (IntegrityException e)
            {
                return (result with { Error = IntegrityError.NotValid(signature.Id, e.Message) }, true);
            }
        }
        else if (ClearSign.Decode(data) is { } message)
        {
            result = result with { Format = SignatureFormat.PgpClearSign };
            if (CheckClearSign(ref result, message, keys, options) is { } failure)
            {
                return failure;
            }

            payload = message.Plaintext.AsSpan().EndsWith("\n"u8) ? message.Plaintext[..^1] : message.Plaintext;
        }
        else
        {
            return (result with { Error = new IntegrityError(IntegrityErrorKind.SignatureFormatNotRecognized, "signature format not recognized") }, false);
        }

        SignedMetadata metadata;
        try
        {
            metadata = ImageMetadata.Parse(payload);
        }
        catch (IntegrityException e)
        {
            return (result with { Error = IntegrityError.NotValid(signature.Id, e.Message) }, true);
        }

        if (result.Signer is { } signer && !FingerprintMatches(signer, fingerprint))
        {
            return (result with { Error = new IntegrityError(IntegrityErrorKind.FingerprintMismatch, "fingerprint in descriptor does not correspond to signing entity") }, true);
        }

        var check = ImageMetadata.Check(image, task.GroupId, metadata, task.Objects, task.SubsetOk, cache);
        return (result with { VerifiedObjects = check.Verified, Error = check.Error }, true);
    }

    private static (SignatureCheck Check, bool Ignorable) CheckLegacy(
        SifImage image, VerifyTask task, SifDescriptor signature, VerifyOptions options, IVerificationKeys? keys, DigestCache cache, IProgress<long>? progress)
    {
        var result = new SignatureCheck(signature, SignatureFormat.PgpClearSign, null, null, [], null);
        if (signature.Size > MaxSignatureSize)
        {
            return (result with { Error = IntegrityError.NotValid(signature.Id, $"signature object larger than {MaxSignatureSize} bytes") }, true);
        }

        var message = ClearSign.Decode(image.ReadObject(signature, MaxSignatureSize));
        if (message is null)
        {
            return (result with { Error = IntegrityError.NotValid(signature.Id, "clearsigned message not found") }, true);
        }

        if (CheckClearSign(ref result, message, keys, options) is { } failure)
        {
            return failure;
        }

        SifHashType hashType;
        byte[]? fingerprint;
        try
        {
            (hashType, fingerprint) = signature.GetSignatureMetadata();
        }
        catch (SifException e)
        {
            return (result with { Error = new IntegrityError(IntegrityErrorKind.DigestUnsupported, e.Message, signature.Id) }, true);
        }

        result = result with { Fingerprint = fingerprint };
        if (!FingerprintMatches(result.Signer!, fingerprint))
        {
            return (result with { Error = new IntegrityError(IntegrityErrorKind.FingerprintMismatch, "fingerprint in descriptor does not correspond to signing entity") }, true);
        }

        Digest expected;
        try
        {
            expected = LegacyDigest(hashType, message.Plaintext);
        }
        catch (IntegrityException e)
        {
            return (result with { Error = new IntegrityError(IntegrityErrorKind.DigestUnsupported, e.Message, signature.Id) }, true);
        }

        Digest actual;
        if (task.ObjectId is not null)
        {
            actual = cache.Get(task.Objects[0], expected.Algorithm);
        }
        else
        {
            // A legacy group signature covers the concatenated data of the group's objects, in descriptor order.
            using var hasher = Hasher.Create(expected.Algorithm);
            foreach (var d in image.Descriptors.Where(d => d.GroupId == task.GroupId))
            {
                image.ReadChunks(d, hasher.Append, progress);
            }

            actual = new Digest(expected.Algorithm, hasher.Finish());
        }

        if (!actual.Matches(expected))
        {
            return (result with { Error = IntegrityError.Object(task.ObjectId) }, true);
        }

        return (result with { VerifiedObjects = task.Objects }, true);
    }

    private static Digest LegacyDigest(SifHashType hashType, byte[] plaintext)
    {
        var text = plaintext.AsSpan();
        if (text.StartsWith(LegacyPrefix))
        {
            text = text[LegacyPrefix.Length..];
        }

        if (text.EndsWith("\n"u8))
        {
            text = text[..^1];
        }

        var algorithm = hashType switch
        {
            SifHashType.Sha256 => DigestAlgorithm.Sha256,
            SifHashType.Sha384 => DigestAlgorithm.Sha384,
            SifHashType.Sha512 => DigestAlgorithm.Sha512,
            _ => throw new IntegrityException("hash algorithm unsupported"),
        };
        byte[] value;
        try
        {
            value = Convert.FromHexString(Encoding.ASCII.GetString(text));
        }
        catch (FormatException e)
        {
            throw new IntegrityException("encoding/hex: invalid byte", e);
        }

        var expectedSize = algorithm switch { DigestAlgorithm.Sha256 => 32, DigestAlgorithm.Sha384 => 48, _ => 64 };
        return value.Length == expectedSize ? new Digest(algorithm, value) : throw new IntegrityException("digest malformed");
    }

    private static bool FingerprintMatches(PgpPublicKeyRing ring, byte[]? fingerprint) =>
        fingerprint is not null && ring.GetPublicKey().GetFingerprint().AsSpan().SequenceEqual(fingerprint);

    private static bool IsEnvelope(byte[] data)
    {
        var trimmed = data.AsSpan().TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty || trimmed[0] != '{')
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(data, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (string.Equals(property.Name, "payloadType", StringComparison.OrdinalIgnoreCase))
                {
                    return property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() == ImageMetadata.MediaType;
                }
            }

            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Checks a PGP clear-sign signature against <paramref name="keys"/>: sets the signer in
    /// <paramref name="result"/> and returns null, or returns the failed check.
    /// </summary>
    private static (SignatureCheck Check, bool Ignorable)? CheckClearSign(
        ref SignatureCheck result, ClearSignedMessage message, IVerificationKeys? keys, VerifyOptions options)
    {
        if (keys is null)
        {
            return (result with { Error = new IntegrityError(IntegrityErrorKind.KeyMaterialNotProvided, "key material not provided for PGP clear-sign signature") }, false);
        }

        var (ring, cause) = PgpVerify(message, keys, Now(options));
        if (ring is null)
        {
            return (result with { Error = IntegrityError.NotValid(result.Signature.Id, cause!) }, true);
        }

        result = result with { Signer = ring };
        return null;
    }

    /// <summary>
    /// Checks a clear signature as go-crypto's <c>CheckDetachedSignatureAndHash</c> does: the first
    /// signature whose issuer key is known, SHA-2 hashes only, the key must be allowed to sign. Returns the
    /// signer's ring, or the cause text.
    /// </summary>
    private static (PgpPublicKeyRing? Ring, string? Cause) PgpVerify(ClearSignedMessage message, IVerificationKeys keys, DateTime now)
    {
        var signatures = new List<PgpSignature>();
        try
        {
            var factory = new PgpObjectFactory(message.SignaturePackets);
            PgpObject? item;
            while ((item = factory.NextPgpObject()) is not null)
            {
                if (item is PgpSignatureList list)
                {
                    for (var i = 0; i < list.Count; i++)
                    {
                        signatures.Add(list[i]);
                    }
                }
            }
        }
        catch (Exception e) when (IsMalformedData(e))
        {
            if (signatures.Count == 0)
            {
                return (null, "openpgp: invalid data: " + e.Message);
            }
        }

        foreach (var signature in signatures)
        {
            var keyId = new byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(keyId, unchecked((ulong)signature.KeyId));
            var ring = keys.Find(keyId);
            var key = ring?.GetPublicKey(signature.KeyId);
            if (ring is null || key is null || !CanSign(key))
            {
                continue;
            }

            if (signature.HashAlgorithm is not (HashAlgorithmTag.Sha224 or HashAlgorithmTag.Sha256 or HashAlgorithmTag.Sha384 or HashAlgorithmTag.Sha512))
            {
                return (null, "openpgp: invalid signature: hash algorithm or Hash header mismatch");
            }

            if (signature.SignatureType is not (PgpSignature.BinaryDocument or PgpSignature.CanonicalTextDocument))
            {
                return (null, "openpgp: invalid signature: wrong signature type");
            }

            try
            {
                if (!CheckSignature(signature, key, message.SignedBytes))
                {
                    return (null, $"openpgp: invalid signature: {AlgorithmName(key.Algorithm)} verification failure");
                }
            }
            catch (Exception e) when (IsMalformedData(e) || e is System.Security.Cryptography.CryptographicException)
            {
                return (null, "openpgp: invalid signature: " + e.Message);
            }

            // A revoked or expired key, or an expired signature, is refused wherever the key came from.
            if (PgpValidity.Check(signature, ring, key, now) is { } invalid)
            {
                return (null, invalid);
            }

            return (ring, null);
        }

        return (null, "openpgp: signature made by unknown entity");
    }

    /// <summary>
    /// Checks the signature value. RSA goes through the platform's RSA: BouncyCastle 2.7 re-runs a
    /// compositeness test on the modulus for every verification (about 150 ms for RSA-4096), which would
    /// dominate verifying an image. The hashed data and trailer are BouncyCastle's own.
    /// </summary>
    private static bool CheckSignature(PgpSignature signature, PgpPublicKey key, byte[] signed)
    {
        if (key.PublicKeyPacket.Key is RsaPublicBcpgKey rsaKey && signature.KeyAlgorithm is PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaSign
            && PlatformHash(signature.HashAlgorithm) is { } hashName)
        {
            var modulus = rsaKey.Modulus.ToByteArrayUnsigned();
            var value = signature.GetSignature();
            if (value.Length > modulus.Length)
            {
                return false;
            }

            var padded = new byte[modulus.Length];
            value.CopyTo(padded, modulus.Length - value.Length);
            using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(hashName);
            hash.AppendData(signed);
            hash.AppendData(signature.GetSignatureTrailer());
            using var rsa = System.Security.Cryptography.RSA.Create();
            rsa.ImportParameters(new System.Security.Cryptography.RSAParameters
            {
                Modulus = modulus,
                Exponent = rsaKey.PublicExponent.ToByteArrayUnsigned(),
            });
            return rsa.VerifyHash(hash.GetHashAndReset(), padded, hashName, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        }

        signature.InitVerify(key);
        signature.Update(signed);
        return signature.Verify();
    }

    private static DateTime Now(VerifyOptions options) => (options.Time ?? TimeProvider.System).GetUtcNow().UtcDateTime;

    private static System.Security.Cryptography.HashAlgorithmName? PlatformHash(HashAlgorithmTag tag) => tag switch
    {
        HashAlgorithmTag.Sha256 => System.Security.Cryptography.HashAlgorithmName.SHA256,
        HashAlgorithmTag.Sha384 => System.Security.Cryptography.HashAlgorithmName.SHA384,
        HashAlgorithmTag.Sha512 => System.Security.Cryptography.HashAlgorithmName.SHA512,
        _ => null,
    };

    // BouncyCastle does not promise one exception type for hostile packets; these are the ones it throws.
    private static bool IsMalformedData(Exception e) => e is IOException or PgpException or ArgumentException
        or InvalidOperationException or IndexOutOfRangeException or OverflowException or InvalidCastException;

    private static bool CanSign(PgpPublicKey key) =>
        PgpKeys.IsSigningAlgorithm(key.Algorithm)
        && (PgpKeys.KeyFlags(key) is not { } flags || (flags & Org.BouncyCastle.Bcpg.Sig.KeyFlags.SignData) != 0);

    private static string AlgorithmName(PublicKeyAlgorithmTag algorithm) => algorithm switch
    {
        PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaSign => "RSA",
        PublicKeyAlgorithmTag.Dsa => "DSA",
        PublicKeyAlgorithmTag.ECDsa => "ECDSA",
        PublicKeyAlgorithmTag.EdDsa_Legacy => "EdDSA",
        _ => algorithm.ToString(),
    };

    private sealed record VerifyTask(uint GroupId, IReadOnlyList<SifDescriptor> Objects, bool SubsetOk, bool Legacy, uint? ObjectId);
}
