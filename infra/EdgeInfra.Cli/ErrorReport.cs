namespace EdgeInfra.Cli;

/// <summary>Maps the exceptions a verb can end with to exit codes and prints them without stack traces.</summary>
internal static class ErrorReport
{
    public static int? ExitCodeFor(Exception ex) => ex switch
    {
        UsageException => ExitCodes.BadInput,
        OperationCanceledException => ExitCodes.Failure,
        _ => null,
    };

    public static void Write(TextWriter stderr, Exception ex) => stderr.WriteLine($"error: {ex.Message}");
}
