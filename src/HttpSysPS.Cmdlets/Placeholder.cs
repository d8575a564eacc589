namespace HttpSysPS.Cmdlets;
internal static class Placeholder { }
