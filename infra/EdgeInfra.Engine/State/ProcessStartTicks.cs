using System.Globalization;

namespace EdgeInfra.Engine.State;

/// <summary>When a process started, in clock ticks since boot (<c>/proc/PID/stat</c>, field 22): a monotonic mark that
/// tells a lock holder from a later process given the same pid, and that no wall-clock jump moves.</summary>
internal static class ProcessStartTicks
{
    /// <summary>The start mark of a running process; null when there is no such process or the OS has no procfs.</summary>
    public static long? Of(int pid)
    {
        string stat;
        try { stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        // The command name (field 2) is in parentheses and may hold spaces or parentheses; fields after it are plain.
        var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
    }
}
