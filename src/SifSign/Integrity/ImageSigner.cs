using Org.BouncyCastle.Bcpg.OpenPgp;
using SifSign.Sif;

namespace SifSign.Integrity;

/// <summary>
/// Adds modern signatures to an image (sylabs/sif pkg/integrity sign.go): one signature object per selected group,
/// appended after the existing objects (earlier signatures are kept), linked to the group, with the
/// hash type and signer fingerprint in its descriptor. The image is changed in one crash-safe append:
/// if signing fails or is interrupted the image stays as it was and still verifies.
/// </summary>
public static class ImageSigner
{
    /// <summary>Signs with an OpenPGP primary key (PGP clear-sign format). Returns the new signature descriptors.</summary>
    public static IReadOnlyList<SifDescriptor> Sign(
        string imagePath, PgpPrivateKey privateKey, PgpPublicKey primaryKey, SignOptions options, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Sign(imagePath, new PgpClearSignEncoder(privateKey, primaryKey, options.Time), options, progress);
    }

    /// <summary>
    /// Signs with any encoder (PGP or DSSE). Opens the image for writing; throws <see cref="SifException"/>
    /// when it cannot, <see cref="IntegrityException"/> for selection errors (no groups, group or object not
    /// found, invalid ID). <paramref name="progress"/> receives the number of object bytes hashed per chunk.
    /// </summary>
    public static IReadOnlyList<SifDescriptor> Sign(
        string imagePath, ISignatureEncoder encoder, SignOptions options, IProgress<long>? progress = null)
    {
        using var image = SifImage.Open(imagePath, writable: true);
        return Sign(image, encoder, options, progress);
    }

    /// <summary>Signs an image already opened for writing.</summary>
    public static IReadOnlyList<SifDescriptor> Sign(
        SifImage image, ISignatureEncoder encoder, SignOptions options, IProgress<long>? progress = null) =>
        Sign(image, encoder, options, progress, hook: null);

    /// <summary>
    /// The signatures a sign operation would make: each group with the object IDs it covers, groups in
    /// ascending order. Throws <see cref="IntegrityException"/> as <see cref="Sign(SifImage, ISignatureEncoder, SignOptions, IProgress{long}?)"/>.
    /// </summary>
    public static IReadOnlyList<(uint GroupId, IReadOnlyList<uint> ObjectIds)> SelectTargets(SifImage image, SignOptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        var targets = new List<(uint, IReadOnlyList<uint>)>();
        if (options.GroupId is { } groupId)
        {
            if (groupId == 0)
            {
                throw Error(IntegrityErrorKind.InvalidId, "invalid group ID");
            }

            targets.Add((groupId, GroupObjects(image, groupId)));
        }

        var objectIds = new List<uint>();
        if (options.ObjectId is { } objectId)
        {
            objectIds.Add(objectId);
        }

        objectIds.AddRange(options.ObjectIds ?? []);
        var byGroup = new SortedDictionary<uint, List<uint>>();
        foreach (var id in objectIds)
        {
            if (id == 0)
            {
                throw Error(IntegrityErrorKind.InvalidId, "invalid object ID");
            }

            var descriptor = image.FindDescriptor(id) ?? throw Error(IntegrityErrorKind.ObjectNotFound, "object not found");
            if (descriptor.GroupId == 0)
            {
                throw Error(IntegrityErrorKind.InvalidId, "invalid group ID");
            }

            if (!byGroup.TryGetValue(descriptor.GroupId, out var ids))
            {
                byGroup[descriptor.GroupId] = ids = [];
            }

            if (!ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        targets.AddRange(byGroup.Select(g => (g.Key, (IReadOnlyList<uint>)[.. g.Value.Order()])));

        if (targets.Count == 0)
        {
            var groups = image.Descriptors.Select(d => d.GroupId).Where(g => g != 0).Distinct().Order().ToList();
            if (groups.Count == 0)
            {
                throw Error(IntegrityErrorKind.NoGroupsFound, "no groups found");
            }

            targets.AddRange(groups.Select(g => (g, (IReadOnlyList<uint>)GroupObjects(image, g))));
        }

        return targets;
    }

    internal static IReadOnlyList<SifDescriptor> Sign(
        SifImage image, ISignatureEncoder encoder, SignOptions options, IProgress<long>? progress, Action<SifWriteStep>? hook)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(options);
        if (!image.IsWritable)
        {
            throw new SifException($"{image.Path} was opened read-only");
        }

        var cancellationToken = options.CancellationToken;
        if (cancellationToken.CanBeCanceled)
        {
            // Checked once per hashed chunk (1 MiB) and at each write step: no per-byte cost.
            progress = new CancellingProgress(progress, cancellationToken);
            var inner = hook;
            hook = step =>
            {
                inner?.Invoke(step);
                cancellationToken.ThrowIfCancellationRequested();
            };
        }

        var extra = SifObjectInput.SignatureExtra(encoder.HashType, encoder.Fingerprint.Span);
        var inputs = new List<SifObjectInput>();
        foreach (var (groupId, objectIds) in SelectTargets(image, options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var metadata = ImageMetadata.Build(image, groupId, objectIds, progress);
            inputs.Add(new SifObjectInput
            {
                DataType = SifDataType.Signature,
                Data = new MemoryStream(encoder.Encode(metadata), writable: false),
                GroupId = 0,
                LinkedId = groupId,
                LinkToGroup = true,
                Extra = extra,
            });
        }

        var time = options.Deterministic
            ? SifHeader.UnsetTime
            : (options.Time ?? TimeProvider.System).GetUtcNow().ToUnixTimeSeconds();
        return image.AppendObjects(inputs, time, hook);
    }

    private static List<uint> GroupObjects(SifImage image, uint groupId)
    {
        var ids = image.Descriptors.Where(d => d.GroupId == groupId).Select(d => d.Id).Order().ToList();
        return ids.Count > 0 ? ids : throw Error(IntegrityErrorKind.GroupNotFound, "group not found");
    }

    private sealed class CancellingProgress(IProgress<long>? inner, CancellationToken cancellationToken) : IProgress<long>
    {
        public void Report(long value)
        {
            cancellationToken.ThrowIfCancellationRequested();
            inner?.Report(value);
        }
    }

    private static IntegrityException Error(IntegrityErrorKind kind, string message) => new(new IntegrityError(kind, message));
}
