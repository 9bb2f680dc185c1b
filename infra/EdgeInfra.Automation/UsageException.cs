namespace EdgeInfra.Automation;

/// <summary>A usage or input error: the command line or an input file is wrong (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);
