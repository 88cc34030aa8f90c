using Keyserver.Core.Keys;

namespace Keyserver.Core.Storage;

/// <summary>The one rule every store applies to name what a change did.</summary>
public static class WriteOutcomes
{
    /// <summary>
    /// The outcome of a change that turned <paramref name="before"/> into <paramref name="after"/>:
    /// the same instance is <see cref="WriteOutcome.Unchanged"/> (see <see cref="IKeyStore.UpdateAsync"/>).
    /// </summary>
    public static WriteOutcome Of(KeyRecord? before, KeyRecord? after) => (before, after) switch
    {
        _ when ReferenceEquals(before, after) => WriteOutcome.Unchanged,
        (null, _) => WriteOutcome.Added,
        (_, null) => WriteOutcome.Deleted,
        _ => WriteOutcome.Replaced,
    };
}
