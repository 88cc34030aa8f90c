using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Bcpg.Sig;
using Org.BouncyCastle.Security;
using SifSign.Sif;

namespace SifSign.Integrity;

/// <summary>
/// Signs metadata as Apptainer does (sylabs/sif pkg/integrity clearsign.go): a v4 canonical-text (0x01) SHA-256 signature by the
/// <b>primary</b> key, hashed subpackets creation time (critical), issuer key ID, the
/// <c>salt@notations.openpgpjs.org</c> notation and the issuer fingerprint, in a clear-signed message
/// with <c>Hash: SHA256</c> and no armor CRC line.
/// </summary>
public sealed class PgpClearSignEncoder : ISignatureEncoder
{
    internal const string SaltNotation = "salt@notations.openpgpjs.org";

    private readonly PgpPrivateKey privateKey;
    private readonly PgpPublicKey primaryKey;
    private readonly TimeProvider time;

    /// <summary>
    /// Creates an encoder. <paramref name="primaryKey"/> must be a v4 primary key that may sign and
    /// <paramref name="privateKey"/> its unlocked private part; otherwise <see cref="IntegrityException"/>.
    /// </summary>
    public PgpClearSignEncoder(PgpPrivateKey privateKey, PgpPublicKey primaryKey, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        ArgumentNullException.ThrowIfNull(primaryKey);
        if (!primaryKey.IsMasterKey)
        {
            throw new IntegrityException("signing key must be the primary key, not a subkey");
        }

        if (primaryKey.Version != 4)
        {
            throw new IntegrityException($"signing key must be an OpenPGP v4 key (this one is v{primaryKey.Version})");
        }

        if (privateKey.KeyId != primaryKey.KeyId)
        {
            throw new IntegrityException("private key does not belong to the given primary key");
        }

        if (!PgpKeys.IsSigningAlgorithm(primaryKey.Algorithm))
        {
            throw new IntegrityException($"key algorithm {primaryKey.Algorithm} cannot sign");
        }

        if (PgpKeys.KeyFlags(primaryKey) is { } flags && (flags & KeyFlags.SignData) == 0)
        {
            throw new IntegrityException("primary key is not allowed to sign (no signing usage flag)");
        }

        this.privateKey = privateKey;
        this.primaryKey = primaryKey;
        this.time = time ?? TimeProvider.System;
        Fingerprint = primaryKey.GetFingerprint();
    }

    /// <inheritdoc/>
    public SifHashType HashType => SifHashType.Sha256;

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> Fingerprint { get; }

    /// <summary>
    /// How long the signature is valid (signature expiration time, RFC 9580 §5.2.3.18); null or zero: for
    /// ever, as Apptainer signs. Verifiers that follow go-crypto refuse the signature once it expired.
    /// </summary>
    public TimeSpan? SignatureLifetime { get; init; }

    /// <summary>Add the random salt notation (go-crypto's default; off only to reproduce fixtures).</summary>
    internal bool Salt { get; init; } = true;

    /// <summary>Write the armor CRC line (go-crypto before v1.4 did; the current reference does not).</summary>
    internal bool ArmorChecksum { get; init; }

    /// <summary>Mark the creation time critical and the issuer key ID not (current go-crypto); false gives the 2020 style.</summary>
    internal bool ModernCriticality { get; init; } = true;

    /// <inheritdoc/>
    public byte[] Encode(ReadOnlySpan<byte> metadata)
    {
        var signed = ClearSign.Canonicalize(metadata);
        var generator = new PgpSignatureGenerator(primaryKey.Algorithm, HashAlgorithmTag.Sha256);
        generator.InitSign(PgpSignature.CanonicalTextDocument, privateKey, new SecureRandom());
        var subpackets = new PgpSignatureSubpacketGenerator();
        subpackets.SetSignatureCreationTime(ModernCriticality, time.GetUtcNow().UtcDateTime);
        subpackets.SetIssuerKeyID(!ModernCriticality, primaryKey.KeyId);
        if (SignatureLifetime is { TotalSeconds: >= 1 } lifetime)
        {
            subpackets.SetSignatureExpirationTime(true, (long)lifetime.TotalSeconds);
        }

        if (Salt)
        {
            subpackets.AddCustomSubpacket(new NotationData(false, false, NotationBytes(SaltNotation, RandomSalt())));
        }

        subpackets.SetIssuerFingerprint(false, primaryKey);
        generator.SetHashedSubpackets(subpackets.Generate());
        generator.Update(signed);
        PgpSignature signature;
        try
        {
            signature = generator.Generate();
        }
        catch (PgpException e)
        {
            throw new IntegrityException("failed to sign message: " + e.Message, e);
        }

        return ClearSign.Encode("SHA256", metadata, PgpKeys.NewFormatPacket(signature.GetEncoded()), ArmorChecksum);
    }

    private static byte[] RandomSalt()
    {
        // go-crypto sizes the salt to the hash: 16 bytes for SHA-256.
        var salt = new byte[16];
        System.Security.Cryptography.RandomNumberGenerator.Fill(salt);
        return salt;
    }

    private static byte[] NotationBytes(string name, byte[] value)
    {
        var nameBytes = System.Text.Encoding.UTF8.GetBytes(name);
        var data = new byte[8 + nameBytes.Length + value.Length];
        data[4] = unchecked((byte)(nameBytes.Length >> 8));
        data[5] = unchecked((byte)nameBytes.Length);
        data[6] = unchecked((byte)(value.Length >> 8));
        data[7] = unchecked((byte)value.Length);
        nameBytes.CopyTo(data, 8);
        value.CopyTo(data, 8 + nameBytes.Length);
        return data;
    }
}
