namespace HttpSysPS.Engine.Configuration;

/// <summary>How writing an <see cref="SslBinding"/> treats an existing binding on the same key.</summary>
public enum SslBindingWriteMode
{
    /// <summary>Create or replace (Set-SslBinding).</summary>
    Set = 0,

    /// <summary>netsh <c>add</c>: create; an identical existing binding is a no-op, a different one is AlreadyExists (183).</summary>
    Add = 1,

    /// <summary>netsh <c>update</c>: replace; a missing binding is NotFound.</summary>
    Update = 2,
}
