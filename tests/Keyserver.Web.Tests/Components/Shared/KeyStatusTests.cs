namespace Keyserver.Web.Tests.Components.Shared;

public sealed class KeyStatusTests : BunitContext
{
    private static readonly DateTimeOffset Created = new(2024, 1, 2, 0, 0, 0, TimeSpan.Zero);

    public KeyStatusTests() => Services.AddSingleton(TimeProvider.System);

    [Fact]
    public void Valid_SaysValid() =>
        Assert.Equal("valid", Render<KeyStatus>(p => p.Add(c => c.Info, new KeyInfo(1, 4096, null, Created, null, null))).Find(".status.valid").TextContent);

    [Fact]
    public void Expired_SaysWhen() =>
        Assert.Equal("expired 2024-02-01", Render<KeyStatus>(p => p.Add(c => c.Info, new KeyInfo(1, 4096, null, Created, Created.AddDays(30), null))).Find(".status.expired").TextContent);

    [Fact]
    public void Revoked_SaysWhen() =>
        Assert.Equal("revoked 2024-01-05", Render<KeyStatus>(p => p.Add(c => c.Info, new KeyInfo(1, 4096, null, Created, null, new Revocation(Created.AddDays(3), 2, "")))).Find(".status.revoked").TextContent);
}
