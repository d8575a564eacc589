using System.Buffers.Binary;
using System.Security.Cryptography;

namespace HttpSysPS.Engine.Tests.Tls;

/// <summary>
/// A hand-built TLS ClientHello (RFC 5246 §7.4.1.2) offering exactly one legacy protocol version and no
/// supported_versions extension, so the server sees a client that speaks that version and nothing newer.
/// Needed because OpenSSL 3 refuses to even send a TLS 1.0/1.1 ClientHello from SslStream at its default level.
/// </summary>
internal static class RawClientHello
{
    /// <summary>TLS alert record content type (RFC 5246 §6.2.1).</summary>
    public const byte AlertRecord = 21;

    /// <summary>Handshake record content type.</summary>
    public const byte HandshakeRecord = 22;

    /// <summary>protocol_version alert description (RFC 5246 §7.2.2).</summary>
    public const byte ProtocolVersionAlert = 70;

    /// <summary>ServerHello handshake message type.</summary>
    public const byte ServerHello = 2;

    /// <summary>A complete record holding a ClientHello for <paramref name="version"/> (0x0301 TLS 1.0, 0x0302 TLS 1.1, 0x0303 TLS 1.2).</summary>
    public static byte[] Build(ushort version)
    {
        ushort[] suites =
        [
            0xC02B, 0xC02C, 0xC02F, 0xC030, // ECDHE (ECDSA, RSA) with AES-GCM: TLS 1.2
            0xC009, 0xC00A, 0xC013, 0xC014, // ECDHE with AES-CBC-SHA: what TLS 1.0/1.1 clients offer
            0x002F, 0x0035, 0x00FF,         // RSA AES-CBC-SHA, renegotiation SCSV
        ];
        var body = new List<byte>();
        AddUInt16(body, version);
        body.AddRange(RandomNumberGenerator.GetBytes(32));
        body.Add(0); // empty session id
        AddUInt16(body, (ushort)(suites.Length * 2));
        foreach (var suite in suites)
        {
            AddUInt16(body, suite);
        }

        body.Add(1); // one compression method: null
        body.Add(0);

        var extensions = new List<byte>();
        AddExtension(extensions, 0x000A, [0x00, 0x04, 0x00, 0x1D, 0x00, 0x17]); // supported_groups: x25519, secp256r1
        AddExtension(extensions, 0x000B, [0x01, 0x00]); // ec_point_formats: uncompressed
        AddExtension(extensions, 0x000D, [0x00, 0x08, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x02, 0x03]); // signature_algorithms
        AddUInt16(body, (ushort)extensions.Count);
        body.AddRange(extensions);

        var handshake = new List<byte> { 1, 0, (byte)(body.Count >> 8), (byte)body.Count }; // ClientHello, 24-bit length
        handshake.AddRange(body);
        var record = new List<byte> { HandshakeRecord, 0x03, 0x01 }; // record layer version 1.0, as real clients send
        AddUInt16(record, (ushort)handshake.Count);
        record.AddRange(handshake);
        return record.ToArray();
    }

    private static void AddExtension(List<byte> to, ushort type, byte[] data)
    {
        AddUInt16(to, type);
        AddUInt16(to, (ushort)data.Length);
        to.AddRange(data);
    }

    private static void AddUInt16(List<byte> to, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        to.Add(bytes[0]);
        to.Add(bytes[1]);
    }
}
