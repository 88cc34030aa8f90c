using System.ComponentModel.DataAnnotations;
using Keyserver.Storage.LiteDb;

namespace Keyserver.Web.Options;

/// <summary>Which store keeps the keys, and where (section <c>Storage</c>).</summary>
internal sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary>The embedded LiteDB file (one server process), or a PostgreSQL database (one or more).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.LiteDb;

    /// <summary>
    /// Directory of the LiteDB file; relative paths are resolved against the content root. With
    /// PostgreSQL it still holds the mail pickup directory.
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Storage:DataDirectory must name a directory.")]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The Npgsql connection string of the PostgreSQL database (Provider PostgreSql only).</summary>
    public string? ConnectionString { get; set; }

    public string ResolveDatabasePath(string contentRoot) =>
        Path.Combine(ResolveDataDirectory(contentRoot), LiteDbContext.DefaultFileName);

    public string ResolveDataDirectory(string contentRoot) => Path.GetFullPath(DataDirectory, contentRoot);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Provider))
        {
            yield return new ValidationResult("Storage:Provider must be LiteDb or PostgreSql.", [nameof(Provider)]);
        }

        if (Provider == StorageProvider.PostgreSql && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                "Storage:ConnectionString must be set when Storage:Provider is PostgreSql (for example Host=db;Database=keyserver;Username=keyserver;Password=...).",
                [nameof(ConnectionString)]);
        }
    }
}

/// <summary>The stores the server can run on.</summary>
internal enum StorageProvider
{
    /// <summary>The embedded LiteDB file in Storage:DataDirectory.</summary>
    LiteDb,

    /// <summary>A PostgreSQL database named by Storage:ConnectionString, shareable by several instances.</summary>
    PostgreSql,
}
