return HttpSysPS.HelpGen.HelpGenCommand.Run(args, Console.Out, Console.Error);
