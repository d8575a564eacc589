using System.Text.Json.Nodes;
using HttpSysPS.Engine;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Host.Dsc;

/// <summary>
/// <c>HttpSysPS/SslBinding</c>: one SSL certificate binding (netsh sslcert). Key <c>key</c> (<c>IP:port</c> or
/// <c>hostname:port</c>, as Set-SslBinding -Key); the certificate by <c>certificateFile</c> (+ <c>keyFile</c>) or
/// <c>certificateHash</c> (+ <c>certificateStoreName</c>); the netsh switches; <c>_exist</c>. A binding is written
/// whole, as Set-SslBinding writes it: an omitted switch is its default (off), so test compares every property the
/// binding would be written with. <c>certificateSource</c> is read-only.
/// </summary>
internal sealed class SslBindingResource : IDscResource
{
    /// <summary>Property names in schema order (the order of test's differences).</summary>
    private static readonly string[] Properties =
    [
        "certificateFile", "keyFile", "certificateHash", "certificateStoreName", "appId",
        "negotiateClientCertificate", "disableTls12", "disableTls13", "disableHttp2",
        "disableLegacyTls", "disableQuic", "disableOcspStapling", "enableSessionTicket", "disableSessionId", "logExtendedEvents",
    ];

    private readonly SslCertificateLoader _certificates = new();

    public string Name => "sslbinding";

    public JsonObject Get(ServiceConfig config, DscInput input)
    {
        var key = ReadKey(input);
        input.RejectUnknown();
        return State(key, config.FindSslBinding(key));
    }

    public DscPlan Plan(ServiceConfig config, DscInput input)
    {
        var key = ReadKey(input);
        var exist = input.Exist;
        var desired = ReadBinding(key, input, exist);
        input.RejectUnknown();

        var actual = config.FindSslBinding(key);
        var differences = new List<string>();
        if (exist != actual is not null)
        {
            differences.Add("_exist");
        }
        else if (exist)
        {
            var want = State(key, desired);
            var have = State(key, actual);
            differences.AddRange(Properties.Where(p => !JsonNode.DeepEquals(want[p], have[p])));
        }

        return new DscPlan(
            State(key, actual),
            differences,
            store => exist ? store.SetSslBinding(desired!) : store.RemoveSslBinding(key),
            current =>
            {
                if (!exist)
                {
                    return current.WithoutSslBinding(key);
                }

                // What-if loads the certificate as set would, so a missing or mismatched key fails here too.
                _certificates.Validate(desired!);
                return current.WithSslBinding(desired!);
            },
            new JsonObject { ["key"] = key.ToString() }.ToJsonString());
    }

    public ConfigChangeResult Delete(ServiceConfigStore store, DscInput input)
    {
        var key = ReadKey(input);
        input.RejectUnknown();
        return store.RemoveSslBinding(key);
    }

    public IEnumerable<JsonObject> Export(ServiceConfig config, DscInput input)
    {
        var filter = input.Has("key") ? ReadKey(input) : null;
        input.RejectUnknown();
        return config.SslBindings.Where(b => filter is null || b.Key.Equals(filter)).Select(b => State(b.Key, b));
    }

    private static SslBindingKey ReadKey(DscInput input) => SslBindingKey.Parse(input.String("key", required: true)!);

    /// <summary>The binding to write; null when it should not exist (then only the key is read, the rest ignored).</summary>
    private static SslBinding? ReadBinding(SslBindingKey key, DscInput input, bool exist)
    {
        var file = input.String("certificateFile");
        var keyFile = input.String("keyFile");
        var hash = input.String("certificateHash");
        var storeName = input.String("certificateStoreName");
        var appIdText = input.String("appId");
        var negotiate = input.Bool("negotiateClientCertificate") ?? false;
        var tls12 = input.Bool("disableTls12") ?? false;
        var tls13 = input.Bool("disableTls13") ?? false;
        var http2 = input.Bool("disableHttp2") ?? false;
        var legacy = input.Bool("disableLegacyTls") ?? false;
        var quic = input.Bool("disableQuic") ?? false;
        var ocsp = input.Bool("disableOcspStapling") ?? false;
        var ticket = input.Bool("enableSessionTicket") ?? false;
        var sessionId = input.Bool("disableSessionId") ?? false;
        var extended = input.Bool("logExtendedEvents") ?? false;
        input.ReadOnly("certificateSource");
        if (!exist)
        {
            return null;
        }

        var certificate = (hash, file) switch
        {
            (not null, null) when keyFile is null => SslCertificateReference.FromStore(hash, storeName),
            (null, not null) when storeName is null => SslCertificateReference.FromFile(file, keyFile),
            _ => throw new DscInputException($"The sslbinding instance for '{key}' needs certificateFile (and keyFile), or certificateHash (and certificateStoreName); not both."),
        };
        var appId = Guid.Empty;
        if (appIdText is not null && !Guid.TryParse(appIdText, out appId))
        {
            throw new HttpSysException(HttpSysErrorReason.InvalidArgument, $"appId '{appIdText}' is not a GUID.");
        }

        return new SslBinding(key, certificate, appId, negotiate, tls12, tls13, http2, legacy, quic, ocsp, ticket, sessionId, extended);
    }

    private static JsonObject State(SslBindingKey key, SslBinding? binding)
    {
        var state = new JsonObject { ["key"] = key.ToString() };
        if (binding is not null)
        {
            var c = binding.Certificate;
            state["certificateFile"] = c.CertificateFile;
            state["keyFile"] = c.KeyFile;
            state["certificateHash"] = c.Thumbprint;
            state["certificateStoreName"] = c.StoreName;
            state["appId"] = binding.AppId.ToString("D");
            state["negotiateClientCertificate"] = binding.NegotiateClientCertificate;
            state["disableTls12"] = binding.DisableTls12;
            state["disableTls13"] = binding.DisableTls13;
            state["disableHttp2"] = binding.DisableHttp2;
            state["disableLegacyTls"] = binding.DisableLegacyTls;
            state["disableQuic"] = binding.DisableQuic;
            state["disableOcspStapling"] = binding.DisableOcspStapling;
            state["enableSessionTicket"] = binding.EnableSessionTicket;
            state["disableSessionId"] = binding.DisableSessionId;
            state["logExtendedEvents"] = binding.LogExtendedEvents;
            state["certificateSource"] = c.Source.ToString();
            foreach (var absent in state.Where(p => p.Value is null).Select(p => p.Key).ToList())
            {
                state.Remove(absent);
            }
        }

        state["_exist"] = binding is not null;
        return state;
    }
}
