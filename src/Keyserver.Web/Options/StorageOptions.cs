using System.ComponentModel.DataAnnotations;
using Keyserver.Storage.LiteDb;

namespace Keyserver.Web.Options;

/// <summary>Where the embedded store keeps its file (section <c>Storage</c>).</summary>
internal sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Directory of the LiteDB file; relative paths are resolved against the content root.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Storage:DataDirectory must name a directory.")]
    public string DataDirectory { get; set; } = "data";

    public string ResolveDatabasePath(string contentRoot) =>
        Path.Combine(Path.GetFullPath(DataDirectory, contentRoot), LiteDbContext.DefaultFileName);
}
