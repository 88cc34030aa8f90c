namespace SifSign.Sif;

/// <summary>Options for <see cref="SifImage.Create"/>.</summary>
public sealed class SifCreateOptions
{
    /// <summary>The launch script (fewer than 32 bytes); empty for none.</summary>
    public string LaunchScript { get; init; } = "";

    /// <summary>The image UUID; null picks a random one (or the nil UUID when deterministic).</summary>
    public Guid? Id { get; init; }

    /// <summary>
    /// Deterministic image (sylabs/sif pkg/sif create.go, OptCreateDeterministic): nil UUID unless <see cref="Id"/> is given, and all times unset, so
    /// the same inputs give the same bytes.
    /// </summary>
    public bool Deterministic { get; init; }

    /// <summary>Number of descriptor slots (default 48).</summary>
    public int DescriptorCapacity { get; init; } = 48;

    /// <summary>The clock for creation times; null uses the system clock.</summary>
    public TimeProvider? Time { get; init; }
}
