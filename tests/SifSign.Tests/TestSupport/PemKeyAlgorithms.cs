namespace SifSign.Tests.TestSupport;

/// <summary>Theory data for the tests that must hold for every PEM key algorithm sifsign signs with.</summary>
public static class PemKeyAlgorithms
{
    public static TheoryData<PemKeyAlgorithm> All => new(Enum.GetValues<PemKeyAlgorithm>());
}
