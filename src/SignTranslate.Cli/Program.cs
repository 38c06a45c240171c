using SignTranslate.Cli;

return await SltApp.RunAsync(args, Console.Out, Console.Error);
