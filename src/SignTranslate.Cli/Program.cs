using SignTranslate;
using SignTranslate.Cli;

// Before the first tensor: LibTorch decides at its first allocation whether large blocks use huge pages.
NativeMemory.Configure();
return await SltApp.RunAsync(args, Console.Out, Console.Error);
