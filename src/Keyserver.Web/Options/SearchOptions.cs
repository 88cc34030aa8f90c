using System.ComponentModel.DataAnnotations;

namespace Keyserver.Web.Options;

/// <summary>Lookup result caps (section <c>Search</c>).</summary>
internal sealed class SearchOptions
{
    public const string Section = "Search";

    /// <summary>Keys in one lookup answer when the client does not ask for a page size.</summary>
    [Range(1, 10_000, ErrorMessage = "Search:MaxResults must be between 1 and 10000.")]
    public int MaxResults { get; set; } = 100;

    /// <summary>Largest <c>x-pagesize</c> honoured; apptainer asks for 256.</summary>
    [Range(1, 10_000, ErrorMessage = "Search:MaxPageSize must be between 1 and 10000.")]
    public int MaxPageSize { get; set; } = 256;
}
