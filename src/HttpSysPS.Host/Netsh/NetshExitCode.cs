using HttpSysPS.Engine;

namespace HttpSysPS.Host.Netsh;

/// <summary>
/// Exit codes of the netsh verbs (documented in docs/provisioning.md): 0 success (also an idempotent no-op),
/// 1 unexpected failure, 2 usage error, 3 a cache verb run outside the server's process, and 10 + <see cref="HttpSysErrorReason"/> for engine errors, so each
/// reason has its own code (AccessDenied 15, AlreadyExists 17, NotFound 18, CorruptStore 19, InvalidCertificate 20 ...).
/// </summary>
internal static class NetshExitCode
{
    public const int Success = 0;

    public const int Unexpected = 1;

    public const int Usage = 2;

    /// <summary>A cache verb outside a server's process: the cache it names is in another process (docs/response-cache.md).</summary>
    public const int NoServer = 3;

    /// <summary>Offset so engine reasons never collide with 0-2.</summary>
    public const int ReasonBase = 10;

    public static int For(HttpSysErrorReason reason) => ReasonBase + (int)reason;
}
