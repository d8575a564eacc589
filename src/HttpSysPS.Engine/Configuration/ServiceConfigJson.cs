using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HttpSysPS.Engine.Configuration;

/// <summary>
/// The on-disk form of <see cref="ServiceConfig"/>: one indented, camel-case JSON document (format documented in
/// docs/provisioning.md). Reading validates every entry through the model's own constructors, so a hand-edited
/// store with a bad URL is reported as corrupt instead of half-loaded.
/// </summary>
internal static partial class ServiceConfigJson
{
    /// <summary>The document version this build writes and reads.</summary>
    public const int CurrentVersion = 1;

    public static byte[] Serialize(ServiceConfig config)
    {
        var document = new Document
        {
            Version = CurrentVersion,
            UrlReservations = config.UrlReservations.Select(r => new ReservationDto
            {
                Url = r.Url.FullPrefix,
                Acl = r.Acl.Select(a => new AceDto { Principal = a.Principal.ToString(), Listen = a.Listen, Delegate = a.Delegate }).ToList(),
            }).ToList(),
            SslBindings = config.SslBindings.Select(b => new BindingDto
            {
                IpPort = b.Key.Kind == SslBindingKeyKind.IpPort ? b.Key.ToString() : null,
                HostnamePort = b.Key.Kind == SslBindingKeyKind.HostnamePort ? b.Key.ToString() : null,
                CertificateHash = b.Certificate.Thumbprint,
                CertificateStoreName = b.Certificate.StoreName,
                CertificateFile = b.Certificate.CertificateFile,
                KeyFile = b.Certificate.KeyFile,
                AppId = b.AppId,
                NegotiateClientCertificate = b.NegotiateClientCertificate,
                DisableTls12 = b.DisableTls12,
                DisableTls13 = b.DisableTls13,
                DisableHttp2 = b.DisableHttp2,
                DisableLegacyTls = b.DisableLegacyTls,
                DisableQuic = b.DisableQuic,
                DisableOcspStapling = b.DisableOcspStapling,
                EnableSessionTicket = b.EnableSessionTicket,
                DisableSessionId = b.DisableSessionId,
                LogExtendedEvents = b.LogExtendedEvents,
            }).ToList(),
            Timeouts = new TimeoutsDto
            {
                EntityBody = config.Timeouts.EntityBody,
                DrainEntityBody = config.Timeouts.DrainEntityBody,
                RequestQueue = config.Timeouts.RequestQueue,
                IdleConnection = config.Timeouts.IdleConnection,
                HeaderWait = config.Timeouts.HeaderWait,
                MinSendBytesPerSecond = config.Timeouts.MinSendBytesPerSecond,
            },
        };
        // Relaxed escaping keeps "http://+:80/" readable for people who open the file; the JSON is never embedded in HTML.
        var context = new DocumentContext(new JsonSerializerOptions(DocumentContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return JsonSerializer.SerializeToUtf8Bytes(document, context.Document);
    }

    /// <summary>Parses a store; any defect throws <see cref="HttpSysException"/> (CorruptStore) naming <paramref name="path"/>.</summary>
    public static ServiceConfig Deserialize(ReadOnlySpan<byte> utf8, string path)
    {
        Document? document;
        try
        {
            document = JsonSerializer.Deserialize(utf8, DocumentContext.Default.Document);
        }
        catch (JsonException e)
        {
            throw Corrupt(path, $"it is not valid JSON ({e.Message})", e);
        }

        if (document is null)
        {
            throw Corrupt(path, "it holds JSON null instead of a document", null);
        }

        if (document.Version is < 1 or > CurrentVersion)
        {
            throw Corrupt(path, $"its version {document.Version} is not {CurrentVersion} (written by another HttpSysPS version?)", null);
        }

        var entry = "?";
        try
        {
            var reservations = (document.UrlReservations ?? []).Select(r =>
            {
                entry = $"urlReservations '{r.Url}'";
                return new UrlReservation(
                    UrlReservation.ParseUrl(r.Url ?? throw new FormatException("missing url")),
                    (r.Acl ?? []).Select(a => new UrlReservationAce(Principal.Parse(a.Principal ?? throw new FormatException("missing principal")), a.Listen, a.Delegate)));
            }).ToList();
            var bindings = (document.SslBindings ?? []).Select(b =>
            {
                entry = $"sslBindings '{b.IpPort ?? b.HostnamePort}'";
                var key = b.IpPort is not null ? SslBindingKey.ParseIpPort(b.IpPort)
                    : b.HostnamePort is not null ? SslBindingKey.ParseHostnamePort(b.HostnamePort)
                    : throw new FormatException("neither ipPort nor hostnamePort");
                var certificate = b.CertificateHash is not null
                    ? SslCertificateReference.FromStore(b.CertificateHash, b.CertificateStoreName)
                    : SslCertificateReference.FromFile(b.CertificateFile ?? throw new FormatException("neither certificateHash nor certificateFile"), b.KeyFile);
                return new SslBinding(
                    key,
                    certificate,
                    b.AppId,
                    b.NegotiateClientCertificate,
                    b.DisableTls12,
                    b.DisableTls13,
                    b.DisableHttp2,
                    b.DisableLegacyTls,
                    b.DisableQuic,
                    b.DisableOcspStapling,
                    b.EnableSessionTicket,
                    b.DisableSessionId,
                    b.LogExtendedEvents,
                    b.EnableTokenBinding);
            }).ToList();
            entry = "timeouts";
            var t = document.Timeouts ?? new TimeoutsDto();
            var timeouts = new TimeoutLimits
            {
                EntityBody = t.EntityBody,
                DrainEntityBody = t.DrainEntityBody,
                RequestQueue = t.RequestQueue,
                IdleConnection = t.IdleConnection,
                HeaderWait = t.HeaderWait,
                MinSendBytesPerSecond = t.MinSendBytesPerSecond,
            };
            return new ServiceConfig(reservations, bindings, timeouts);
        }
        catch (Exception e) when (e is HttpSysException or FormatException or ArgumentException)
        {
            throw Corrupt(path, $"the entry {entry} is invalid ({e.Message})", e);
        }
    }

    private static HttpSysException Corrupt(string path, string why, Exception? inner) =>
        new(HttpSysErrorReason.CorruptStore, $"The HttpSysPS configuration store '{path}' is corrupt: {why}. It was not changed; fix or remove the file.", inner);

    internal sealed class Document
    {
        public int Version { get; set; }

        public List<ReservationDto>? UrlReservations { get; set; }

        public List<BindingDto>? SslBindings { get; set; }

        public TimeoutsDto? Timeouts { get; set; }
    }

    internal sealed class ReservationDto
    {
        public string? Url { get; set; }

        public List<AceDto>? Acl { get; set; }
    }

    internal sealed class AceDto
    {
        public string? Principal { get; set; }

        public bool Listen { get; set; } = true;

        public bool Delegate { get; set; }
    }

    internal sealed class BindingDto
    {
        public string? IpPort { get; set; }

        public string? HostnamePort { get; set; }

        public string? CertificateHash { get; set; }

        public string? CertificateStoreName { get; set; }

        public string? CertificateFile { get; set; }

        public string? KeyFile { get; set; }

        public Guid AppId { get; set; }

        public bool NegotiateClientCertificate { get; set; }

        public bool DisableTls12 { get; set; }

        public bool DisableTls13 { get; set; }

        public bool DisableHttp2 { get; set; }

        public bool DisableLegacyTls { get; set; }

        public bool DisableQuic { get; set; }

        public bool DisableOcspStapling { get; set; }

        public bool EnableSessionTicket { get; set; }

        public bool DisableSessionId { get; set; }

        public bool LogExtendedEvents { get; set; }

        // Never written (a binding cannot hold it); read so that a hand-edited store asking for it is refused by name.
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
        public bool EnableTokenBinding { get; set; }
    }

    internal sealed class TimeoutsDto
    {
        public int EntityBody { get; set; }

        public int DrainEntityBody { get; set; }

        public int RequestQueue { get; set; }

        public int IdleConnection { get; set; }

        public int HeaderWait { get; set; }

        public long MinSendBytesPerSecond { get; set; }
    }

    [JsonSourceGenerationOptions(
        WriteIndented = true,
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true)]
    [JsonSerializable(typeof(Document))]
    internal sealed partial class DocumentContext : JsonSerializerContext
    {
    }
}
