using SifSign.Hkp;
using SifSign.Keys;
using SifSign.Sif;

namespace SifSign.Cli;

/// <summary>
/// Runs a command body and turns every failure into a FATAL line on stderr and an exit code: the
/// user never sees a stack trace.
/// </summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(CliContext context, int failureCode, Func<Task<int>> body, Action<string>? report = null)
    {
        report ??= context.Fatal;
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            report("interrupted");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is CliException or KeyringException or HkpException or SifException)
        {
            report(e.Message);
            return failureCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            report(e.Message);
            return failureCode;
        }
#pragma warning disable CA1031 // The last line of defence: report, never crash with a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            report($"unexpected error: {e.GetType().Name}: {e.Message}");
            return failureCode;
        }
    }

    public static int Run(CliContext context, int failureCode, Func<int> body, Action<string>? report = null) =>
        RunAsync(context, failureCode, () => Task.FromResult(body()), report).GetAwaiter().GetResult();
}
