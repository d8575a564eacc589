using HttpSysPS.Engine;

namespace HttpSysPS.Host;

/// <summary>Process exit codes: 0 success, 1 unexpected, 2 usage, and 10 + <see cref="HttpSysErrorReason"/> for typed engine errors.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Unexpected = 1;
    public const int Usage = 2;

    public static int For(HttpSysErrorReason reason) => 10 + (int)reason;
}
