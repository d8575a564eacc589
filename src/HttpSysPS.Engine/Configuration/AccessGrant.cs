namespace HttpSysPS.Engine.Configuration;

/// <summary>Which rule of <see cref="AccessCheck"/> decided.</summary>
public enum AccessGrant
{
    /// <summary>No rule grants: the operation is refused.</summary>
    Denied = 0,

    /// <summary>The caller is root/Administrator, owner of the implicit root reservations (spec §2.2).</summary>
    Administrator = 1,

    /// <summary>The deciding reservation grants the caller (listen to register, delegate to reserve).</summary>
    Reservation = 2,

    /// <summary><c>http://localhost:PORT</c> with PORT &gt; 1024 and no reservation on that scheme and port (spec §2.3).</summary>
    LocalhostExemption = 3,

    /// <summary>A Unix socket prefix: guarded by the socket file's permissions, not by reservations.</summary>
    UnixSocket = 4,
}
