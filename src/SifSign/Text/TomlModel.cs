using Tomlyn.Model;
using Tomlyn.Serialization;

namespace SifSign.Text;

/// <summary>
/// Source-generated Tomlyn metadata for the untyped <see cref="TomlTable"/> model that <c>ecl.toml</c>
/// and the keyserver list are read into and written from. The reflection-based
/// <c>TomlSerializer.Deserialize&lt;T&gt;</c> is unavailable under Native AOT and trimming.
/// </summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class TomlModel : TomlSerializerContext;
