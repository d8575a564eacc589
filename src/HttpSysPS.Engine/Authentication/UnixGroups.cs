using System.Runtime.InteropServices;

namespace HttpSysPS.Engine.Authentication;

/// <summary>
/// The groups of a local account (NSS: files, LDAP, sssd alike) for the principal's role claims: getpwnam_r for the
/// primary group, getgrouplist for all, getgrgid_r for their names. Linux only (struct passwd differs elsewhere); an
/// account NSS does not know has no groups.
/// </summary>
internal static class UnixGroups
{
    private const int PasswdGidOffset = 2 * 8 + 4; // struct passwd { char *pw_name, *pw_passwd; uid_t pw_uid; gid_t pw_gid; ... } on 64-bit Linux
    private const int BufferSize = 16 * 1024;
    private const int MaxGroups = 1024;

    public static IReadOnlyList<string> Of(string userName)
    {
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8 || userName.Length == 0 || userName.Contains('\0'))
        {
            return [];
        }

        var entry = Marshal.AllocHGlobal(64);
        var buffer = Marshal.AllocHGlobal(BufferSize);
        try
        {
            if (getpwnam_r(userName, entry, buffer, BufferSize, out var found) != 0 || found == IntPtr.Zero)
            {
                return [];
            }

            var primary = Marshal.ReadInt32(entry, PasswdGidOffset);
            var count = MaxGroups;
            var ids = new int[MaxGroups];
            if (getgrouplist(userName, primary, ids, ref count) < 0)
            {
                return [];
            }

            var names = new List<string>(count);
            foreach (var id in ids.AsSpan(0, count))
            {
                if (getgrgid_r(id, entry, buffer, BufferSize, out var group) == 0 && group != IntPtr.Zero &&
                    Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(group)) is { Length: > 0 } name && !names.Contains(name))
                {
                    names.Add(name);
                }
            }

            return names;
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
            Marshal.FreeHGlobal(entry);
        }
    }

    [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int getpwnam_r(string name, IntPtr entry, IntPtr buffer, nint size, out IntPtr result);

    [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int getgrouplist(string user, int group, [Out] int[] groups, ref int count);

    [DllImport("libc")]
    private static extern int getgrgid_r(int gid, IntPtr entry, IntPtr buffer, nint size, out IntPtr result);
}
