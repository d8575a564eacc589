namespace HttpSysPS.Engine.Configuration;

/// <summary>What a <see cref="Principal"/> names.</summary>
public enum PrincipalKind
{
    /// <summary>A user account (<c>user:NAME</c>, or a bare <c>NAME</c>).</summary>
    User = 0,

    /// <summary>A group (<c>group:NAME</c>); any member is granted.</summary>
    Group = 1,

    /// <summary>Every process (<c>Everyone</c>; HTTP.sys well-known SID WD).</summary>
    Everyone = 2,
}
