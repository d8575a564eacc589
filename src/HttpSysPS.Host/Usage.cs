namespace HttpSysPS.Host;

internal static class Usage
{
    public static int Print(int exitCode = 2)
    {
        var writer = exitCode == 0 ? Console.Out : Console.Error;
        writer.WriteLine("""
            usage:
              httpsys serve --url <prefix> [--url <prefix> ...] [--root <dir>] [--handler <assembly.dll>:<Type>] [--no-response-cache]
                            [--allow-synchronous-io] [--auth negotiate,kerberos,ntlm,basic [--realm R] [--no-anonymous]
                            [--allow-basic-over-http] [--pam-service NAME] [--kerberos-credential-caching]]
                            [--queue-limit N] [--max-connections N] [--max-body-size N]
                            [--timeout <name>=<seconds> ...] [--config <path>] [--quiet] [--console]
                            [--log-dir <dir> [--log-rollover daily|size:N] [--log-fields "<w3c field> ..."]]
                (--console: type 'show cachestate [url=<prefix>]' or 'delete cache [url=<prefix>] [recursive=yes|no]' on stdin)
              httpsys cert new --dns <name> [--dns <name> ...] --out <dir>
              httpsys add|delete|show urlacl url=<prefix> [user=<principal>] [listen=yes|no] [delegate=yes|no]
              httpsys add|update|delete|show sslcert ipport=<ip:port>|hostnameport=<name:port> ...
              httpsys add|delete|show timeout [timeouttype=idleconnectiontimeout|headerwaittimeout] [value=<seconds>]
                (add/update/delete/show take [--json] [--config <path>]; add urlacl and add sslcert take [--force] to replace)
              httpsys show cachestate | delete cache: only at the console of 'httpsys serve --console' (a cache lives in its server's process)
              httpsys dsc urlreservation|sslbinding|timeout get|set|test|delete|export [--what-if] [--input <json>] [--config <path>]
            """);
        return exitCode;
    }
}
