namespace EdgeInfra.Service.Auth;

/// <summary>Marks a route whose method is not GET but which changes nothing (a preview computes, it does not act), so
/// a viewer may call it.</summary>
public sealed class ReadOnlyRoute;
