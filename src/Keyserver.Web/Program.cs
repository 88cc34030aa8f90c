using Keyserver.Core.Storage;
using Keyserver.Web;
using Keyserver.Web.Commands;
using Keyserver.Web.Components;
using Keyserver.Web.Hkp;
using Keyserver.Web.Mail;
using Keyserver.Web.Vks;
using Microsoft.Extensions.Options;

if (KeyserverCommandLine.IsCommand(args))
{
    return await KeyserverCommandLine.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    builder.WebHost.UseUrls(HkpEndpoints.DefaultUrl);
}

builder.Services.AddKeyserverOptions().AddKeyserverStorage().AddMailDelivery().AddHkp();
builder.Services.AddHealthChecks().AddStoreHealthCheck();
// Every page renders on the server and works without JavaScript: no interactive circuits to host.
builder.Services.AddRazorComponents();

try
{
    var app = builder.Build();

    // Open the store now: a data directory that cannot be used must stop the start, not fail the first request.
    app.Services.GetRequiredService<IKeyStore>();
    app.UseSecurityHeaders();
    app.UseStoreFaults();
    app.UseStaticFiles();
    app.UseRateLimiter();
    app.UseAntiforgery();
    app.MapHkp();
    app.MapVks();
    app.MapHealthChecks("/healthz");
    app.MapRazorComponents<App>();
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    // A bad value stops the host with the options' own message, which names the key.
    await Console.Error.WriteLineAsync($"Invalid configuration: {e.Message}");
    return (int)ExitCode.Configuration;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync($"Cannot open the key store: {e.Message}");
    return (int)ExitCode.Failure;
}

/// <summary>The web host's entry point, public for WebApplicationFactory.</summary>
public partial class Program;
