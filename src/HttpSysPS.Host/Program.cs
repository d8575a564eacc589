using HttpSysPS.Host;

// `httpsys` — the engine without PowerShell. Arguments in, one engine call, output out.
return args.Length == 0 ? Usage.Print() : args[0].ToLowerInvariant() switch
{
    "serve" => await ServeCommand.RunAsync(args[1..]),
    "add" or "delete" or "show" or "update" => NetshCommand.Run(args),
    "cert" => CertCommand.Run(args[1..]),
    "dsc" => HttpSysPS.Host.Dsc.DscCommand.Run(args[1..]),
    "-h" or "--help" or "help" => Usage.Print(exitCode: 0),
    _ => Usage.Print(),
};
