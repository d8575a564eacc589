using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Text;

namespace HttpSysPS.Engine.Authentication;

/// <summary>
/// Basic's password check on Linux and macOS: pam_start / pam_authenticate / pam_acct_mgmt / pam_end with a
/// conversation that answers the password prompt. The password is copied only into the native buffer PAM asks for
/// (PAM frees it after overwriting it, as pam_unix does) and into a pooled byte buffer cleared right after; it is
/// never logged. The call blocks (modules delay failures), so callers run it off the request path's thread.
/// </summary>
internal static class PamPasswordCheck
{
    private const string Library = "libpam.so.0";
    private const int PamSuccess = 0;
    private const int PamConvError = 19;
    private const int PromptEchoOff = 1;
    private const int PromptEchoOn = 2;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int Conversation(int count, IntPtr messages, IntPtr responses, IntPtr appData);

    /// <summary>The identity of <paramref name="userName"/> when PAM service <paramref name="service"/> accepts the password; else null.</summary>
    public static ClaimsIdentity? Check(string service, string userName, ReadOnlySpan<char> password)
    {
        if (userName.IndexOf('\0') >= 0 || password.IndexOf('\0') >= 0)
        {
            return null;
        }

        var secret = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(password.Length) + 1);
        var secretLength = Encoding.UTF8.GetBytes(password, secret);
        secret[secretLength] = 0;
        Conversation conversation = (count, messages, responses, _) => Answer(count, messages, responses, userName, secret, secretLength + 1);
        var conv = Marshal.AllocHGlobal(2 * IntPtr.Size);
        try
        {
            Marshal.WriteIntPtr(conv, 0, Marshal.GetFunctionPointerForDelegate(conversation));
            Marshal.WriteIntPtr(conv, IntPtr.Size, IntPtr.Zero);
            if (pam_start(service, userName, conv, out var handle) != PamSuccess)
            {
                return null;
            }

            var status = pam_authenticate(handle, 0);
            if (status == PamSuccess)
            {
                // Expired or locked accounts are refused like a wrong password.
                status = pam_acct_mgmt(handle, 0);
            }

            pam_end(handle, status);
            if (status != PamSuccess)
            {
                return null;
            }

            // A local account's groups become role claims (a PAM user NSS does not know has none).
            var claims = new List<Claim> { new(ClaimTypes.Name, userName) };
            claims.AddRange(UnixGroups.Of(userName).Select(group => new Claim(ClaimTypes.Role, group)));
            return new ClaimsIdentity(claims, "Basic", ClaimTypes.Name, ClaimTypes.Role);
        }
        finally
        {
            GC.KeepAlive(conversation);
            Marshal.FreeHGlobal(conv);
            Array.Clear(secret);
            ArrayPool<byte>.Shared.Return(secret);
        }
    }

    /// <summary>Linux-PAM's conversation: messages is an array of pointers to pam_message; responses a malloc'd array PAM frees.</summary>
    private static int Answer(int count, IntPtr messages, IntPtr responses, string userName, byte[] secret, int secretLength)
    {
        if (count is <= 0 or > 32)
        {
            return PamConvError;
        }

        var size = 2 * IntPtr.Size; // struct pam_response { char *resp; int resp_retcode; } padded to two words
        var array = Marshal.AllocHGlobal(count * size);
        for (var i = 0; i < count * size; i += IntPtr.Size)
        {
            Marshal.WriteIntPtr(array, i, IntPtr.Zero);
        }

        for (var i = 0; i < count; i++)
        {
            var message = Marshal.ReadIntPtr(messages, i * IntPtr.Size);
            var style = Marshal.ReadInt32(message);
            IntPtr answer = IntPtr.Zero;
            if (style == PromptEchoOff)
            {
                answer = Marshal.AllocHGlobal(secretLength);
                Marshal.Copy(secret, 0, answer, secretLength);
            }
            else if (style == PromptEchoOn)
            {
                answer = Marshal.StringToCoTaskMemUTF8(userName);
            }

            Marshal.WriteIntPtr(array, i * size, answer);
        }

        Marshal.WriteIntPtr(responses, array);
        return PamSuccess;
    }

    private static PamFunctions Pam => Functions.Value;

    private static readonly Lazy<PamFunctions> Functions = new(PamFunctions.Load);

    private static int pam_start(string service, string user, IntPtr conversation, out IntPtr handle) => Pam.Start(service, user, conversation, out handle);

    private static int pam_authenticate(IntPtr handle, int flags) => Pam.Authenticate(handle, flags);

    private static int pam_acct_mgmt(IntPtr handle, int flags) => Pam.AccountManagement(handle, flags);

    private static int pam_end(IntPtr handle, int status) => Pam.End(handle, status);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private delegate int StartFunction(string service, string user, IntPtr conversation, out IntPtr handle);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int HandleFunction(IntPtr handle, int value);

    /// <summary>
    /// libpam's entry points, resolved the way a C program linked with -lpam gets them: from the process's global
    /// symbol scope first (so an LD_PRELOADed PAM, e.g. pam_wrapper in the tests, interposes as it would for sshd), then
    /// from libpam.so.0 itself (a P/Invoke by library name would bypass the interposer).
    /// </summary>
    private sealed record PamFunctions(StartFunction Start, HandleFunction Authenticate, HandleFunction AccountManagement, HandleFunction End)
    {
        public static PamFunctions Load()
        {
            var library = NativeLibrary.Load(Library);
            var global = NativeLibrary.GetMainProgramHandle();
            IntPtr Export(string name) => NativeLibrary.TryGetExport(global, name, out var address) ? address : NativeLibrary.GetExport(library, name);
            return new PamFunctions(
                Marshal.GetDelegateForFunctionPointer<StartFunction>(Export("pam_start")),
                Marshal.GetDelegateForFunctionPointer<HandleFunction>(Export("pam_authenticate")),
                Marshal.GetDelegateForFunctionPointer<HandleFunction>(Export("pam_acct_mgmt")),
                Marshal.GetDelegateForFunctionPointer<HandleFunction>(Export("pam_end")));
        }
    }
}
