using System.Text;
using System.Text.Json;
using SifSign.Sif;

namespace SifSign.Integrity;

/// <summary>
/// The signed "image metadata" JSON of modern signatures (sylabs/sif pkg/integrity metadata.go): building it for a group of
/// objects, parsing it, and checking it against an image. Shared by the PGP and DSSE formats.
/// </summary>
public static class ImageMetadata
{
    /// <summary>The DSSE payload type of the metadata (the Sylabs string, also used by Apptainer).</summary>
    public const string MediaType = "application/vnd.sylabs.sif-metadata+json";

    /// <summary>
    /// Builds the exact JSON bytes Go's <c>json.Marshal</c> produces for group <paramref name="groupId"/>
    /// and the given objects (all members of that group), hashing each object once with SHA-256.
    /// </summary>
    public static byte[] Build(SifImage image, uint groupId, IEnumerable<uint> objectIds, IProgress<long>? progress = null) =>
        Build(image, groupId, objectIds, DigestAlgorithm.Sha256, progress);

    /// <summary>Builds metadata with another digest algorithm (the reference signs with SHA-256 only).</summary>
    internal static byte[] Build(
        SifImage image, uint groupId, IEnumerable<uint> objectIds, DigestAlgorithm algorithm, IProgress<long>? progress)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(objectIds);
        var minId = GroupMinimumId(image, groupId)
            ?? throw new IntegrityException(new IntegrityError(IntegrityErrorKind.GroupNotFound, "group not found"));
        var objects = new SortedDictionary<uint, SifDescriptor>();
        foreach (var id in objectIds)
        {
            var d = image.FindDescriptor(id)
                ?? throw new IntegrityException(new IntegrityError(IntegrityErrorKind.ObjectNotFound, "object not found", id));
            if (d.GroupId != groupId)
            {
                throw new IntegrityException($"unexpected group ID ({d.GroupId})");
            }

            objects[id] = d;
        }

        if (objects.Count == 0)
        {
            throw new IntegrityException("no objects specified");
        }

        var cache = new DigestCache(image, progress);
        var json = new StringBuilder();
        json.Append("{\"version\":1,\"header\":{\"digest\":\"")
            .Append(Digest.Compute(algorithm, image.Header.GetIntegrityBytes()))
            .Append("\"},\"objects\":[");
        var first = true;
        foreach (var d in objects.Values)
        {
            var relative = d.Id - minId;
            json.Append(first ? "" : ",")
                .Append("{\"relativeId\":").Append(relative.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Append(",\"descriptorDigest\":\"")
                .Append(Digest.Compute(algorithm, d.GetIntegrityBytes(relative)))
                .Append("\",\"objectDigest\":\"").Append(cache.Get(d, algorithm)).Append("\"}");
            first = false;
        }

        json.Append("]}");
        return Encoding.ASCII.GetBytes(json.ToString());
    }

    /// <summary>
    /// Checks metadata JSON against the image as a group task would (sylabs/sif pkg/integrity verify.go): with
    /// <paramref name="objectId"/> null the signed set must equal the group exactly; otherwise only that
    /// object is checked. Returns the verified objects, and the first error (or null).
    /// </summary>
    public static MetadataCheck Check(
        SifImage image, uint groupId, ReadOnlySpan<byte> metadataJson, uint? objectId = null, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        SignedMetadata metadata;
        try
        {
            metadata = Parse(metadataJson);
        }
        catch (IntegrityException e)
        {
            return new MetadataCheck([], new IntegrityError(IntegrityErrorKind.SignatureNotValid, e.Message));
        }

        var objects = objectId is { } id
            ? [image.GetDescriptor(id)]
            : image.Descriptors.Where(d => d.GroupId == groupId).ToList();
        return Check(image, groupId, metadata, objects, subsetOk: objectId is not null, new DigestCache(image, progress));
    }

    /// <summary>
    /// Parses metadata JSON as Go's decoder would accept it (field names case-insensitive, unknown fields
    /// ignored). Throws <see cref="IntegrityException"/> with the cause for malformed input.
    /// </summary>
    public static SignedMetadata Parse(ReadOnlySpan<byte> metadataJson)
    {
        try
        {
            using var document = JsonDocument.Parse(metadataJson.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new IntegrityException("json: cannot unmarshal non-object into image metadata");
            }

            var header = Property(root, "header");
            var headerDigest = header is { ValueKind: JsonValueKind.Object } h && Property(h, "digest") is { } hd
                ? ParseDigest(hd)
                : throw new IntegrityException("digest malformed: header digest missing");
            var objects = new List<SignedObject>();
            if (Property(root, "objects") is { ValueKind: JsonValueKind.Array } array)
            {
                foreach (var o in array.EnumerateArray())
                {
                    if (o.ValueKind != JsonValueKind.Object)
                    {
                        throw new IntegrityException("json: cannot unmarshal non-object into object metadata");
                    }

                    var relative = Property(o, "relativeId") is { } r
                        ? r.TryGetUInt32(out var v) ? v : throw new IntegrityException("json: relativeId is not a uint32")
                        : 0;
                    var descriptorDigest = Property(o, "descriptorDigest") is { } dd
                        ? ParseDigest(dd)
                        : throw new IntegrityException("digest malformed: descriptor digest missing");
                    var objectDigest = Property(o, "objectDigest") is { } od
                        ? ParseDigest(od)
                        : throw new IntegrityException("digest malformed: object digest missing");
                    objects.Add(new SignedObject(relative, descriptorDigest, objectDigest));
                }
            }

            return new SignedMetadata(headerDigest, objects);
        }
        catch (JsonException e)
        {
            throw new IntegrityException("invalid metadata JSON: " + e.Message, e);
        }
    }

    internal static MetadataCheck Check(
        SifImage image, uint groupId, SignedMetadata metadata, IReadOnlyList<SifDescriptor> objects, bool subsetOk, DigestCache cache)
    {
        var verified = new List<SifDescriptor>();
        var minId = GroupMinimumId(image, groupId);
        if (minId is null)
        {
            return new MetadataCheck(verified, new IntegrityError(IntegrityErrorKind.GroupNotFound, "group not found"));
        }

        // Go wraps on overflow here; keep that rather than fail differently on hostile relative IDs.
        var signed = metadata.Objects.Select(o => (Id: unchecked(minId.Value + o.RelativeId), Object: o)).ToList();
        if (!subsetOk)
        {
            var signedIds = signed.Select(s => s.Id).ToHashSet();
            if (objects.FirstOrDefault(d => !signedIds.Contains(d.Id)) is { } unsigned)
            {
                return new MetadataCheck(verified, IntegrityError.NotSigned(unsigned.Id));
            }

            var present = objects.Select(d => d.Id).ToHashSet();
            if (signed.FirstOrDefault(s => !present.Contains(s.Id)) is { Object: not null } missing)
            {
                return new MetadataCheck(verified, IntegrityError.SignedNotFound(missing.Id));
            }
        }

        if (!cache.Compute(metadata.Header.Algorithm, image.Header.GetIntegrityBytes()).Matches(metadata.Header))
        {
            return new MetadataCheck(verified, IntegrityError.Header());
        }

        foreach (var d in objects)
        {
            var entry = signed.FirstOrDefault(s => s.Id == d.Id);
            if (entry.Object is null)
            {
                return new MetadataCheck(verified, IntegrityError.NotSigned(d.Id));
            }

            var relative = unchecked(d.Id - minId.Value);
            if (!cache.Compute(entry.Object.DescriptorDigest.Algorithm, d.GetIntegrityBytes(relative)).Matches(entry.Object.DescriptorDigest))
            {
                return new MetadataCheck(verified, IntegrityError.Descriptor(d.Id));
            }

            if (!cache.Get(d, entry.Object.ObjectDigest.Algorithm).Matches(entry.Object.ObjectDigest))
            {
                return new MetadataCheck(verified, IntegrityError.Object(d.Id));
            }

            verified.Add(d);
        }

        return new MetadataCheck(verified, null);
    }

    /// <summary>The lowest ID among used objects of group <paramref name="groupId"/> (masked), or null.</summary>
    internal static uint? GroupMinimumId(SifImage image, uint groupId)
    {
        uint? min = null;
        foreach (var d in image.Descriptors)
        {
            if (d.GroupId == groupId && (min is null || d.Id < min))
            {
                min = d.Id;
            }
        }

        return min;
    }

    private static JsonElement? Property(JsonElement element, string name)
    {
        foreach (var p in element.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return p.Value;
            }
        }

        return null;
    }

    private static Digest ParseDigest(JsonElement element) => element.ValueKind == JsonValueKind.String
        ? Digest.Parse(element.GetString()!)
        : throw new IntegrityException("digest malformed: json: cannot unmarshal non-string into digest");
}

/// <summary>Parsed metadata JSON.</summary>
/// <param name="Header">The header digest.</param>
/// <param name="Objects">The signed objects in document order.</param>
public sealed record SignedMetadata(Digest Header, IReadOnlyList<SignedObject> Objects);

/// <summary>One signed object of the metadata JSON.</summary>
/// <param name="RelativeId">ID relative to the group's lowest ID.</param>
/// <param name="DescriptorDigest">Digest of the descriptor integrity bytes.</param>
/// <param name="ObjectDigest">Digest of the object data.</param>
public sealed record SignedObject(uint RelativeId, Digest DescriptorDigest, Digest ObjectDigest);

/// <summary>The outcome of checking metadata against an image.</summary>
/// <param name="Verified">Objects whose descriptor and data digests matched, in group order.</param>
/// <param name="Error">The first error, or null when everything matched.</param>
public sealed record MetadataCheck(IReadOnlyList<SifDescriptor> Verified, IntegrityError? Error);

/// <summary>Object digests computed at most once per verification, so each object is read once.</summary>
internal sealed class DigestCache(SifImage image, IProgress<long>? progress)
{
    private readonly Dictionary<(uint Id, DigestAlgorithm Algorithm), Digest> digests = [];

    public Digest Get(SifDescriptor descriptor, DigestAlgorithm algorithm)
    {
        if (!digests.TryGetValue((descriptor.Id, algorithm), out var digest))
        {
            using var hasher = Hasher.Create(algorithm);
            image.ReadChunks(descriptor, hasher.Append, progress);
            digest = new Digest(algorithm, hasher.Finish());
            digests[(descriptor.Id, algorithm)] = digest;
        }

        return digest;
    }

    public Digest Compute(DigestAlgorithm algorithm, ReadOnlySpan<byte> data) => Digest.Compute(algorithm, data);
}
