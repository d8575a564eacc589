using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Host.Netsh;

/// <summary><c>add|update|delete|show sslcert</c> (spec §3.1, §3.3), plus our <c>certfile=</c>/<c>keyfile=</c>.</summary>
internal static class SslCertVerbs
{
    /// <summary>netsh parameters HttpSysPS accepts but does not implement: a warning, not a failure, so playbook lines run unchanged.</summary>
    private static readonly string[] Unsupported =
    [
        "verifyclientcertrevocation", "verifyrevocationwithcachedclientcertonly", "usagecheck", "revocationfreshnesstime",
        "urlretrievaltimeout", "sslctlidentifier", "sslctlstorename", "dsmapperusage", "reject",
    ];

    public static int Run(NetshContext context)
    {
        var args = context.Arguments;
        switch (args.Verb)
        {
            case "add" or "update":
                var binding = ReadBinding(args);
                foreach (var ignored in args.Present(Unsupported))
                {
                    context.Error.WriteLine($"warning: '{ignored}=' is not supported by HttpSysPS and was ignored.");
                }

                args.RejectUnknown(Unsupported);
                // add --force creates or replaces (Set-SslBinding), so a playbook line states the binding it wants.
                var mode = args.Verb == "update" ? SslBindingWriteMode.Update : args.Force ? SslBindingWriteMode.Set : SslBindingWriteMode.Add;
                return context.Report(
                    context.Store.SetSslBinding(binding, mode),
                    "SslBinding",
                    mode == SslBindingWriteMode.Add ? "Add" : "Set",
                    binding.Key.ToString(),
                    args.Verb == "add" ? "SSL Certificate successfully added" : "SSL Certificate successfully updated",
                    $"SSL Certificate binding for {binding.Key} already present with these settings; nothing changed");
            case "delete":
                var key = ReadKey(args) ?? throw new NetshUsageException("delete sslcert needs ipport= or hostnameport=.");
                args.RejectUnknown();
                return context.Report(
                    context.Store.RemoveSslBinding(key),
                    "SslBinding",
                    "Remove",
                    key.ToString(),
                    "SSL Certificate successfully deleted",
                    $"No SSL Certificate binding for {key}; nothing changed");
            case "show":
                var filter = ReadKey(args);
                args.RejectUnknown();
                Show(context, context.Store.Read().SslBindings.Where(b => filter is null || b.Key.Equals(filter)).ToList());
                return NetshExitCode.Success;
            default:
                throw new NetshUsageException($"'{args.Verb} sslcert' is not a command; use add, update, delete or show.");
        }
    }

    private static SslBindingKey? ReadKey(NetshArguments args)
    {
        var ipPort = args.Get("ipport");
        var hostnamePort = args.Get("hostnameport");
        if (args.Get("ccs") is not null || args.Get("scopedccs") is not null)
        {
            throw new NetshUsageException("Central Certificate Store bindings (ccs=, scopedccs=) are not supported; use ipport= or hostnameport=.");
        }

        return (ipPort, hostnamePort) switch
        {
            (not null, not null) => throw new NetshUsageException("Give ipport= or hostnameport=, not both."),
            (not null, null) => SslBindingKey.ParseIpPort(ipPort),
            (null, not null) => SslBindingKey.ParseHostnamePort(hostnamePort),
            _ => null,
        };
    }

    private static SslBinding ReadBinding(NetshArguments args)
    {
        var key = ReadKey(args) ?? throw new NetshUsageException($"{args.Verb} sslcert needs ipport= or hostnameport=.");
        var hash = args.Get("certhash");
        var storeName = args.Get("certstorename");
        var file = args.Get("certfile");
        var keyFile = args.Get("keyfile");
        var certificate = (hash, file) switch
        {
            (not null, null) when keyFile is null => SslCertificateReference.FromStore(hash, storeName),
            (null, not null) when storeName is null => SslCertificateReference.FromFile(file, keyFile),
            _ => throw new NetshUsageException("Give certhash= [certstorename=], or certfile= [keyfile=]; not both."),
        };
        var appIdText = args.Get("appid");
        var appId = Guid.Empty;
        if (appIdText is not null && !Guid.TryParse(appIdText, out appId))
        {
            throw new NetshUsageException($"appid={appIdText} is not a GUID, e.g. appid={{00112233-4455-6677-8899-aabbccddeeff}}.");
        }

        return new SslBinding(
            key,
            certificate,
            appId,
            args.GetBool("clientcertnegotiation", false),
            args.GetBool("disabletls12", false),
            args.GetBool("disabletls13", false),
            args.GetBool("disablehttp2", false),
            args.GetBool("disablelegacytls", false),
            args.GetBool("disablequic", false),
            args.GetBool("disableocspstapling", false),
            args.GetBool("enablesessionticket", false),
            args.GetBool("disablesessionid", false),
            args.GetBool("logextendedevents", false),
            args.GetBool("enabletokenbinding", false));
    }

    private static void Show(NetshContext context, IReadOnlyList<SslBinding> bindings)
    {
        if (context.Arguments.Json)
        {
            context.WriteJson(w =>
            {
                w.WriteStartArray("sslBindings");
                foreach (var b in bindings)
                {
                    w.WriteStartObject();
                    w.WriteString(b.Key.Kind == SslBindingKeyKind.IpPort ? "ipPort" : "hostnamePort", b.Key.ToString());
                    w.WriteString("certificateSource", b.Certificate.Source.ToString());
                    w.WriteString("certificateHash", b.Certificate.Thumbprint);
                    w.WriteString("certificateStoreName", b.Certificate.StoreName);
                    w.WriteString("certificateFile", b.Certificate.CertificateFile);
                    w.WriteString("keyFile", b.Certificate.KeyFile);
                    w.WriteString("appId", b.AppId.ToString("B"));
                    w.WriteBoolean("negotiateClientCertificate", b.NegotiateClientCertificate);
                    w.WriteBoolean("disableTls12", b.DisableTls12);
                    w.WriteBoolean("disableTls13", b.DisableTls13);
                    w.WriteBoolean("disableHttp2", b.DisableHttp2);
                    w.WriteBoolean("disableLegacyTls", b.DisableLegacyTls);
                    w.WriteBoolean("disableQuic", b.DisableQuic);
                    w.WriteBoolean("disableOcspStapling", b.DisableOcspStapling);
                    w.WriteBoolean("enableSessionTicket", b.EnableSessionTicket);
                    w.WriteBoolean("disableSessionId", b.DisableSessionId);
                    w.WriteBoolean("logExtendedEvents", b.LogExtendedEvents);
                    w.WriteBoolean("enableTokenBinding", b.EnableTokenBinding);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return;
        }

        var o = context.Output;
        o.WriteLine();
        o.WriteLine("SSL Certificate bindings:");
        o.WriteLine("-------------------------");
        o.WriteLine();
        foreach (var b in bindings)
        {
            context.Line(b.Key.Kind == SslBindingKeyKind.IpPort ? "IP:port" : "Hostname:port", b.Key.ToString());
            context.Line("Certificate Hash", b.Certificate.Thumbprint?.ToLowerInvariant());
            context.Line("Application ID", b.AppId.ToString("B"));
            context.Line("Certificate Store Name", b.Certificate.StoreName);
            context.Line("Certificate File", b.Certificate.CertificateFile);
            context.Line("Key File", b.Certificate.KeyFile);
            context.Line("Negotiate Client Certificate", b.NegotiateClientCertificate ? "Enabled" : "Disabled");
            context.Line("Disable HTTP2", Flag(b.DisableHttp2));
            context.Line("Disable TLS1.2", Flag(b.DisableTls12));
            context.Line("Disable TLS1.3", Flag(b.DisableTls13));
            context.Line("Disable QUIC", Flag(b.DisableQuic));
            context.Line("Disable OCSP Stapling", Flag(b.DisableOcspStapling));
            context.Line("Disable Legacy TLS Versions", Flag(b.DisableLegacyTls));
            context.Line("Enable Token Binding", Flag(b.EnableTokenBinding));
            context.Line("Log Extended Events", Flag(b.LogExtendedEvents));
            context.Line("Enable Session Ticket", Flag(b.EnableSessionTicket));
            context.Line("Disable Session ID", Flag(b.DisableSessionId));
            o.WriteLine();
        }
    }

    private static string Flag(bool set) => set ? "Set" : "Not Set";
}
