using System.ComponentModel.DataAnnotations;

namespace Keyserver.Web.Options;

/// <summary>The Prometheus exposition at <c>/metrics</c> (section <c>Metrics</c>).</summary>
internal sealed class MetricsOptions : IValidatableObject
{
    public const string Section = "Metrics";

    public const string Path = "/metrics";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Semicolon-separated URLs of a separate listener that serves only <c>/metrics</c> (then the public
    /// listener does not); empty serves <c>/metrics</c> on the main listener.
    /// </summary>
    public string Urls { get; set; } = "";

    public IReadOnlyList<Uri> ParseUrls() =>
        [.. Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => new Uri(u))];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var url in Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // The metrics listener is told apart by its port, so the port must be known in advance.
            if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme != Uri.UriSchemeHttp
                || parsed.IsDefaultPort || parsed.Port == 0 || parsed.AbsolutePath != "/")
            {
                yield return new ValidationResult(
                    $"Metrics:Urls must be http:// URLs with an explicit non-zero port, separated by ';' (got '{url}').",
                    [nameof(Urls)]);
            }
        }
    }
}
