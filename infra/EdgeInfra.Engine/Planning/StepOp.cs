namespace EdgeInfra.Engine.Planning;

/// <summary>What a plan step does to one resource.</summary>
public enum StepOp
{
    Same,
    Create,
    Update,
    Replace,
    Delete,

    /// <summary>Moves into this stack from a sibling stack (ownership transferred; the provider only updates).</summary>
    Move,

    /// <summary>Leaves this stack for a sibling: dropped from this state, the provider is not called.</summary>
    MoveOut,
}
