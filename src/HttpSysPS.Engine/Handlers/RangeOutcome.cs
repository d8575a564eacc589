namespace HttpSysPS.Engine.Handlers;

/// <summary>What a Range header means for one representation (RFC 9110 §14.2).</summary>
public enum RangeOutcome
{
    /// <summary>No Range header, or one the server ignores (unknown unit, invalid syntax, too many ranges): send the whole representation (200).</summary>
    Ignored,

    /// <summary>At least one range is satisfiable: 206 with the ranges.</summary>
    Satisfiable,

    /// <summary>A valid header whose ranges all lie beyond the end: 416 with <c>Content-Range: bytes */length</c>.</summary>
    Unsatisfiable,
}
