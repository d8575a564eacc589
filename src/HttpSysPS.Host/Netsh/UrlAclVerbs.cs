using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Host.Netsh;

/// <summary><c>add|delete|show urlacl</c> (spec §2.1).</summary>
internal static class UrlAclVerbs
{
    public static int Run(NetshContext context)
    {
        var args = context.Arguments;
        switch (args.Verb)
        {
            case "add":
                if (args.Get("sddl") is not null)
                {
                    throw new NetshUsageException("sddl= is not supported: there are no Windows SIDs here; use user=NAME (user:NAME, group:NAME or Everyone) with listen= and delegate=.");
                }

                var reservation = UrlReservation.Create(args.Require("url"), [args.Require("user")], args.GetBool("listen", true), args.GetBool("delegate", false));
                args.RejectUnknown();
                return context.Report(
                    context.Store.AddUrlReservation(reservation, args.Force),
                    "UrlReservation",
                    "Add",
                    reservation.Url.FullPrefix,
                    "URL reservation successfully added",
                    $"URL reservation for {reservation.Url} already present; nothing changed");
            case "delete":
                var url = UrlReservation.ParseUrl(args.Require("url"));
                args.RejectUnknown();
                return context.Report(
                    context.Store.RemoveUrlReservation(url),
                    "UrlReservation",
                    "Remove",
                    url.FullPrefix,
                    "URL reservation successfully deleted",
                    $"No URL reservation for {url}; nothing changed");
            case "show":
                var filter = args.Get("url") is { } text ? UrlReservation.ParseUrl(text) : null;
                args.RejectUnknown();
                Show(context, context.Store.Read().UrlReservations.Where(r => filter is null || r.Url.Equals(filter)).ToList());
                return NetshExitCode.Success;
            default:
                throw new NetshUsageException($"'{args.Verb} urlacl' is not a command; use add, delete or show (update = delete + add, as in netsh).");
        }
    }

    private static void Show(NetshContext context, IReadOnlyList<UrlReservation> reservations)
    {
        if (context.Arguments.Json)
        {
            context.WriteJson(w =>
            {
                w.WriteStartArray("urlReservations");
                foreach (var r in reservations)
                {
                    w.WriteStartObject();
                    w.WriteString("url", r.Url.FullPrefix);
                    w.WriteStartArray("acl");
                    foreach (var ace in r.Acl)
                    {
                        w.WriteStartObject();
                        w.WriteString("principal", ace.Principal.ToString());
                        w.WriteBoolean("listen", ace.Listen);
                        w.WriteBoolean("delegate", ace.Delegate);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return;
        }

        // netsh layout; the SDDL line is omitted because principals here are names, not SIDs.
        var o = context.Output;
        o.WriteLine();
        o.WriteLine("URL Reservations:");
        o.WriteLine("-----------------");
        o.WriteLine();
        foreach (var r in reservations)
        {
            context.Line("Reserved URL", r.Url.FullPrefix, width: 24);
            foreach (var ace in r.Acl)
            {
                o.WriteLine($"        User: {ace.Principal}");
                o.WriteLine($"            Listen: {(ace.Listen ? "Yes" : "No")}");
                o.WriteLine($"            Delegate: {(ace.Delegate ? "Yes" : "No")}");
            }

            o.WriteLine();
        }
    }
}
