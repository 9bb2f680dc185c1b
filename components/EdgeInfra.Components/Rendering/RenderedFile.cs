namespace EdgeInfra.Components.Rendering;

/// <summary>One rendered file: its path (fleet-repo relative, or absolute on a store device) and its text.</summary>
/// <param name="Secret">True when the content carries credentials: it must be stored encrypted and never shown.</param>
public sealed record RenderedFile(string Path, string Content, bool Secret = false);
