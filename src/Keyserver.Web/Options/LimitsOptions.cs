using System.ComponentModel.DataAnnotations;
using Keyserver.Core.Ingest;

namespace Keyserver.Web.Options;

/// <summary>Upload and abuse limits (section <c>Limits</c>); defaults are those of <see cref="KeyLimits"/>.</summary>
internal sealed class LimitsOptions
{
    public const string Section = "Limits";

    private static readonly KeyLimits Defaults = new();

    /// <summary>Largest request body accepted by <c>/pks/add</c>, as sent (413 above it).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Limits:MaxUploadBytes must be between 1 and 2147483647.")]
    public int MaxUploadBytes { get; set; } = 1024 * 1024;

    [Range(1, int.MaxValue, ErrorMessage = "Limits:MaxKeyBytes must be between 1 and 2147483647.")]
    public int MaxKeyBytes { get; set; } = Defaults.MaxKeyBytes;

    [Range(1, int.MaxValue, ErrorMessage = "Limits:MaxPacketBytes must be between 1 and 2147483647.")]
    public int MaxPacketBytes { get; set; } = Defaults.MaxPacketBytes;

    [Range(1, int.MaxValue, ErrorMessage = "Limits:MaxSignaturePacketBytes must be between 1 and 2147483647.")]
    public int MaxSignaturePacketBytes { get; set; } = Defaults.MaxSignaturePacketBytes;

    [Range(1, int.MaxValue, ErrorMessage = "Limits:MaxUserIds must be between 1 and 2147483647.")]
    public int MaxUserIds { get; set; } = Defaults.MaxUserIds;

    [Range(0, int.MaxValue, ErrorMessage = "Limits:MaxSubkeys must be between 0 and 2147483647.")]
    public int MaxSubkeys { get; set; } = Defaults.MaxSubkeys;

    [Range(1, int.MaxValue, ErrorMessage = "Limits:MaxUserIdBytes must be between 1 and 2147483647.")]
    public int MaxUserIdBytes { get; set; } = Defaults.MaxUserIdBytes;

    public bool KeepThirdPartyCertifications { get; set; } = Defaults.KeepThirdPartyCertifications;

    public bool KeepUserAttributes { get; set; } = Defaults.KeepUserAttributes;

    public KeyLimits ToKeyLimits() => new()
    {
        MaxKeyBytes = MaxKeyBytes,
        MaxPacketBytes = MaxPacketBytes,
        MaxSignaturePacketBytes = MaxSignaturePacketBytes,
        MaxUserIds = MaxUserIds,
        MaxSubkeys = MaxSubkeys,
        MaxUserIdBytes = MaxUserIdBytes,
        KeepThirdPartyCertifications = KeepThirdPartyCertifications,
        KeepUserAttributes = KeepUserAttributes,
    };
}
