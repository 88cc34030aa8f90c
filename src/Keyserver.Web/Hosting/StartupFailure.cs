using System.Net.Sockets;
using Keyserver.Web.Commands;
using LiteDB;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Keyserver.Web.Hosting;

/// <summary>The step of start-up that failed; it decides which setting a message blames.</summary>
internal enum StartupStage
{
    /// <summary>Reading and validating settings, building services.</summary>
    Configuration,

    /// <summary>Opening the LiteDB file in Storage:DataDirectory.</summary>
    Store,

    /// <summary>Starting background services and binding the listeners.</summary>
    Listen,
}

/// <summary>
/// Turns an exception that stopped the server (or a maintenance command) before it ran into one line
/// for the operator, naming the cause and the setting, and an exit code. The web host and the
/// commands share it, so both fail the same way and never print a stack trace for a predictable
/// cause.
/// </summary>
internal static class StartupFailure
{
    /// <summary>The one line and the exit code for <paramref name="error"/> thrown at <paramref name="stage"/>.</summary>
    public static (string Message, ExitCode Code) Describe(Exception error, StartupStage stage)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (Find<OptionsValidationException>(error) is { } invalid)
        {
            // The options' own message names the key (see Options/*.cs).
            return ($"Invalid configuration: {OneLine(string.Join(" ", invalid.Failures))}", ExitCode.Configuration);
        }

        if (error is InvalidOperationException && error.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // Configuration binder: "Failed to convert configuration value at 'Limits:MaxUploadBytes' to type 'System.Int32'."
            return ($"Invalid configuration: {OneLine(error.Message)}", ExitCode.Configuration);
        }

        if (Find<AddressInUseException>(error) is not null
            || Find<SocketException>(error) is { SocketErrorCode: SocketError.AddressAlreadyInUse })
        {
            return ($"Cannot listen: {OneLine(error.Message)} Another process holds the port; choose another with --urls (Urls, ASPNETCORE_URLS).", ExitCode.Failure);
        }

        if (stage == StartupStage.Listen && Find<SocketException>(error) is { } socket)
        {
            return ($"Cannot listen: {OneLine(error.Message)} ({socket.SocketErrorCode}); check --urls (Urls, ASPNETCORE_URLS) and Metrics:Urls.", ExitCode.Failure);
        }

        if (stage == StartupStage.Store && error is IOException or UnauthorizedAccessException or LiteException)
        {
            return ($"Cannot open the key store (Storage:DataDirectory): {OneLine(error.Message)}", ExitCode.Failure);
        }

        if (stage == StartupStage.Store && Find<Keyserver.Storage.PostgreSql.PostgreSqlStoreException>(error) is { } database)
        {
            return ($"Cannot open the key store (Storage:ConnectionString): {OneLine(database.Message)}", ExitCode.Failure);
        }

        if (stage == StartupStage.Listen && error is FormatException or UriFormatException)
        {
            return ($"Invalid configuration: {OneLine(error.Message)} (check --urls, Urls, ASPNETCORE_URLS and Metrics:Urls)", ExitCode.Configuration);
        }

        if (error is IOException or UnauthorizedAccessException)
        {
            return ($"Cannot start: {OneLine(error.Message)} (check Storage:DataDirectory and Mail:PickupDirectory)", ExitCode.Failure);
        }

        // Anything else is not predictable; still one line, with the type for a bug report.
        return ($"Cannot start: {error.GetType().Name}: {OneLine(error.Message)}", ExitCode.Failure);
    }

    /// <summary>Writes the line to <paramref name="error"/> and returns the exit code.</summary>
    public static async Task<int> ReportAsync(Exception exception, StartupStage stage, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var (message, code) = Describe(exception, stage);
        await error.WriteLineAsync(message).ConfigureAwait(false);
        return (int)code;
    }

    private static T? Find<T>(Exception error)
        where T : Exception
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }

            if (current is AggregateException { InnerExceptions.Count: > 0 } aggregate)
            {
                return aggregate.InnerExceptions.Select(Find<T>).FirstOrDefault(e => e is not null);
            }
        }

        return null;
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
