namespace EdgeInfra.StackInputs.Config;

/// <summary>Durations as config and command-line options write them: <c>30s</c>, <c>30m</c>, <c>2h</c>, <c>1h30m</c>, <c>1d</c>.</summary>
public static class DurationText
{
    public static bool TryParse(string text, out TimeSpan span) => ConfigReader.TryParseDuration(text, out span);
}
