using System.Net.Http.Json;
using Keyserver.Core.Packets;

namespace Keyserver.Web.Tests.Hkp;

/// <summary>A secret key sent to <c>/pks/add</c> or the VKS upload: 422 with one plain message, nothing stored, nothing echoed.</summary>
public sealed class SecretKeyUploadTests : IDisposable
{
    private readonly KeyserverFactory _factory = KeyserverFactory.With(("Verification:Mode", "Email"));
    private readonly TestKey _key = TestKeys.Create("Secret Sam <sam@example.org>");

    public void Dispose() => _factory.Dispose();

    private void AssertNotEchoed(string answer)
    {
        Assert.DoesNotContain("PRIVATE KEY BLOCK", answer);
        foreach (var line in _key.SecretArmored.Split('\n').Where(l => l.Length > 20 && !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(line.Trim(), answer);
        }
    }

    [Fact]
    public async Task PksAdd_ArmoredSecretKey_Is422WithThePlainMessage()
    {
        using var client = _factory.CreateClient();

        using var response = await client.PostFormAsync(ClientEncodings.Gpg(_key.SecretArmored));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.Equal(SecretKeyDetector.Message + "\n", answer);
        AssertNotEchoed(answer);
        Assert.Null(await _factory.Services.GetRequiredService<IKeyStore>().GetAsync(_key.Fingerprint));
    }

    [Fact]
    public async Task PksAdd_BinarySecretKey_Is422()
    {
        using var client = _factory.CreateClient();

        using var response = await client.PostRawAsync(_key.SecretBinary);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(SecretKeyDetector.Message + "\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task VksUpload_SecretKey_Is422WithThePlainMessage()
    {
        using var client = _factory.CreateClient();

        using var response = await client.PostAsJsonAsync("/vks/v1/upload", new { keytext = _key.SecretArmored });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.Equal(SecretKeyDetector.Message, JsonDocument.Parse(answer).RootElement.GetProperty("error").GetString());
        AssertNotEchoed(answer);
        Assert.Null(await _factory.Services.GetRequiredService<IKeyStore>().GetAsync(_key.Fingerprint));
    }
}
