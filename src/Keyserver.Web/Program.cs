using Keyserver.Core.Storage;
using Keyserver.Web;
using Keyserver.Web.Admin;
using Keyserver.Web.Commands;
using Keyserver.Web.Components;
using Keyserver.Web.Hkp;
using Keyserver.Web.Hosting;
using Keyserver.Web.Mail;
using Keyserver.Web.Observability;
using Keyserver.Web.Site;
using Keyserver.Web.Vks;

if (KeyserverCommandLine.IsCommand(args))
{
    return await KeyserverCommandLine.RunAsync(args);
}

var stage = StartupStage.Configuration;
var gate = new StartupLogGate();
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddKeyserverHosting(gate);
    builder.Services.AddKeyserverOptions().AddKeyserverStorage().AddMailDelivery().AddHkp();
    builder.Services.AddHealthChecks().AddStoreHealthCheck();
    // Every page renders on the server and works without JavaScript: no interactive circuits to host.
    builder.Services.AddRazorComponents();
    builder.Services.AddSite();
    builder.Services.AddAdminConsole(builder.Configuration);
    builder.AddObservability();

    await using var app = builder.Build();

    // Open the store now: a data directory that cannot be used must stop the start, not fail the first request.
    stage = StartupStage.Store;
    app.Services.GetRequiredService<IKeyStore>();
    stage = StartupStage.Configuration;
    app.UseObservability();
    app.UseSecurityHeaders();
    app.UsePortalStatusPages();
    app.UseStoreFaults();
    app.UseStaticFiles();
    app.UseRateLimiter();
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseAntiforgery();
    app.MapHkp();
    app.MapVks();
    app.MapHealthChecks("/healthz");
    app.MapSite();
    app.MapAdminConsole();
    app.MapRazorComponents<App>();

    stage = StartupStage.Listen;
    await app.StartAsync();
    gate.Open();
    app.LogStartupSummary();

    // SIGTERM or Ctrl+C: Kestrel stops accepting, in-flight requests finish (bounded by
    // shutdownTimeoutSeconds), background services stop, and disposing the app closes the store.
    await app.WaitForShutdownAsync();
    return 0;
}
catch (Exception e) when (!gate.IsStarted && e is not HostAbortedException)
{
    // HostAbortedException is WebApplicationFactory stopping the entry point after Build: not a failure.
    return await StartupFailure.ReportAsync(e, stage, Console.Error);
}

/// <summary>The web host's entry point, public for WebApplicationFactory.</summary>
public partial class Program;
