using System.ComponentModel.DataAnnotations;

namespace Keyserver.Web.Options;

/// <summary>The audit log (section <c>Audit</c>).</summary>
internal sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>Days an audit entry is kept; 0 keeps every entry.</summary>
    [Range(0, 36_500, ErrorMessage = "Audit:RetentionDays must be between 0 (keep forever) and 36500.")]
    public int RetentionDays { get; set; } = 365;
}
