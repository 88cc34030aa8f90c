namespace SifSign.Integrity;

/// <summary>The kinds of integrity errors of the reference implementation (sylabs/sif pkg/integrity verify.go and select.go errors).</summary>
public enum IntegrityErrorKind
{
    /// <summary><c>no groups found</c>.</summary>
    NoGroupsFound,

    /// <summary><c>group not found</c>.</summary>
    GroupNotFound,

    /// <summary><c>object not found</c>.</summary>
    ObjectNotFound,

    /// <summary><c>invalid group ID</c> / <c>invalid object ID</c> (zero).</summary>
    InvalidId,

    /// <summary><c>non-signature object not associated with object group</c>.</summary>
    NonGroupedObject,

    /// <summary><c>signature not found for object group N</c> (or <c>for object N</c> in legacy object mode).</summary>
    SignatureNotFound,

    /// <summary><c>signature object N not valid: cause</c>.</summary>
    SignatureNotValid,

    /// <summary><c>signature format not recognized</c>.</summary>
    SignatureFormatNotRecognized,

    /// <summary><c>key material not provided for … signature</c>.</summary>
    KeyMaterialNotProvided,

    /// <summary><c>fingerprint in descriptor does not correspond to signing entity</c>.</summary>
    FingerprintMismatch,

    /// <summary><c>object N: object not signed</c>.</summary>
    ObjectNotSigned,

    /// <summary><c>object N: signed object not found</c>.</summary>
    SignedObjectNotFound,

    /// <summary><c>header integrity compromised</c>.</summary>
    HeaderIntegrity,

    /// <summary><c>data object descriptor integrity compromised: N</c>.</summary>
    DescriptorIntegrity,

    /// <summary><c>data object integrity compromised: N</c>.</summary>
    ObjectIntegrity,

    /// <summary>The signature descriptor or a digest names an unsupported hash, or a digest is malformed.</summary>
    DigestUnsupported,
}

/// <summary>
/// One integrity error. <see cref="Message"/> is the reference's text without the <c>integrity: </c>
/// prefix, which <see cref="ToString"/> adds (Apptainer prints
/// <c>Failed to verify container: integrity: …</c>).
/// </summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Message">The reference's message, e.g. <c>data object integrity compromised: 2</c>.</param>
/// <param name="ObjectId">The object (or signature object) the error is about, when there is one.</param>
public sealed record IntegrityError(IntegrityErrorKind Kind, string Message, uint? ObjectId = null)
{
    /// <summary>The message with the <c>integrity: </c> prefix.</summary>
    public override string ToString() => "integrity: " + Message;

    internal static IntegrityError NotSigned(uint id) =>
        new(IntegrityErrorKind.ObjectNotSigned, $"object {id}: object not signed", id);

    internal static IntegrityError SignedNotFound(uint id) =>
        new(IntegrityErrorKind.SignedObjectNotFound, $"object {id}: signed object not found", id);

    internal static IntegrityError Header() =>
        new(IntegrityErrorKind.HeaderIntegrity, "header integrity compromised");

    internal static IntegrityError Descriptor(uint id) =>
        new(IntegrityErrorKind.DescriptorIntegrity, $"data object descriptor integrity compromised: {id}", id);

    internal static IntegrityError Object(uint? id) => id is { } value
        ? new(IntegrityErrorKind.ObjectIntegrity, $"data object integrity compromised: {value}", value)
        : new(IntegrityErrorKind.ObjectIntegrity, "data object integrity compromised");

    internal static IntegrityError NotValid(uint signatureId, string cause) =>
        new(IntegrityErrorKind.SignatureNotValid, $"signature object {signatureId} not valid: {cause}", signatureId);

    internal static IntegrityError GroupSignatureNotFound(uint groupId) =>
        new(IntegrityErrorKind.SignatureNotFound, $"signature not found for object group {groupId}");

    internal static IntegrityError ObjectSignatureNotFound(uint id) =>
        new(IntegrityErrorKind.SignatureNotFound, $"signature not found for object {id}", id);
}
