#:project ../src/SignTranslate/SignTranslate.csproj
// Convolution benchmark (a script, not a test): forward + backward time of TemporalConv and the small frame CNN
// computed as im2col + GEMM (GemmConvolution, what the models use) against LibTorch's own convolution (oneDNN), at
// the paper's TemporalConv size and the synthetic configs' sizes, with the largest deviation from float64 of each.
// Usage: dotnet run scripts/bench-convolution.cs [-- --repeats 7]
using System.Diagnostics;
using SignTranslate.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

var repeats = args.Length >= 2 && args[0] == "--repeats" ? int.Parse(args[1]) : 7;
manual_seed(1);
Console.WriteLine($"threads {get_num_threads()}, median of {repeats} after one warm-up; deviation = max |x - x_float64| / max |x_float64| over output and input gradient");
Console.WriteLine($"{"case",-44} {"oneDNN ms",10} {"GEMM ms",10} {"ratio",7} {"oneDNN dev",11} {"GEMM dev",10}");
Measure("TemporalConv 512->1024 k5, B2 T336 (paper)", t => nn.Conv1d(512, 1024, 5, dtype: t), [2, 512, 336]);
Measure("TemporalConv 1024->1024 k5, B2 T166 (paper)", t => nn.Conv1d(1024, 1024, 5, dtype: t), [2, 1024, 166]);
Measure("TemporalConv 128->128 k5, B4 T120 (synthetic)", t => nn.Conv1d(128, 128, 5, dtype: t), [4, 128, 120]);
Measure("TemporalConv 100->100 k5, B4 T120", t => nn.Conv1d(100, 100, 5, dtype: t), [4, 100, 120]);
Measure("frame CNN 3->16 k3 s2, 480 frames 32px (synthetic)", t => nn.Conv2d(3, 16, 3, stride: 2, padding: 1, dtype: t), [480, 3, 32, 32]);
Measure("frame CNN 16->32 k3 s2, 480 frames 16px (synthetic)", t => nn.Conv2d(16, 32, 3, stride: 2, padding: 1, dtype: t), [480, 16, 16, 16]);
Measure("frame CNN 20->40 k3 s2, 480 frames 16px", t => nn.Conv2d(20, 40, 3, stride: 2, padding: 1, dtype: t), [480, 20, 16, 16]);

void Measure(string name, Func<ScalarType, Convolution> make, long[] shape)
{
    var conv = make(ScalarType.Float32);
    var twin = make(ScalarType.Float64);
    using (no_grad())
    {
        twin.weight!.copy_(conv.weight!);
        twin.bias!.copy_(conv.bias!);
    }
    var (nativeMs, nativeDev) = Time(x => conv.call(x));
    var (gemmMs, gemmDev) = Time(x => GemmConvolution.Forward(conv, x));
    Console.WriteLine($"{name,-44} {nativeMs,10:F1} {gemmMs,10:F1} {gemmMs / nativeMs,7:F2} {nativeDev,11:E1} {gemmDev,10:E1}");

    (double Ms, double Deviation) Time(Func<Tensor, Tensor> convolve)
    {
        var times = new List<double>();
        var deviation = 0.0;
        for (var i = 0; i <= repeats; i++)
        {
            using var scope = NewDisposeScope();
            var input = randn(shape).requires_grad_();
            var watch = Stopwatch.StartNew();
            var output = convolve(input);
            output.sum().backward();
            if (i > 0) times.Add(watch.Elapsed.TotalMilliseconds);
            if (i == 1)
            {
                var input64 = input.detach().to(ScalarType.Float64).requires_grad_();
                var output64 = twin.call(input64);
                output64.sum().backward();
                deviation = Math.Max(Relative(output, output64), Relative(input.grad!, input64.grad!));
            }
            conv.zero_grad();
            twin.zero_grad();
        }
        times.Sort();
        return (times[times.Count / 2], deviation);
    }
}

static double Relative(Tensor actual, Tensor expected) =>
    (actual.detach().to(ScalarType.Float64) - expected.detach()).abs().max().item<double>() / expected.abs().max().item<double>();
