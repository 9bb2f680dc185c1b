namespace EdgeInfra.Cli;

/// <summary>The process exit codes every verb uses.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
}
