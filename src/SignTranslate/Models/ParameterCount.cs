using TorchSharp;

namespace SignTranslate.Models;

/// <summary>Parameter counting as PyTorch's <c>sum(p.numel() for p in model.parameters())</c>: shared tensors once.</summary>
public static class ParameterCount
{
    /// <summary>Elements of the distinct parameters of <paramref name="module"/> (buffers excluded).</summary>
    public static long Unique(torch.nn.Module module, bool trainableOnly = false)
    {
        var seen = new HashSet<IntPtr>();
        long total = 0;
        foreach (var p in module.parameters())
        {
            if (trainableOnly && !p.requires_grad) continue;
            if (seen.Add(p.Handle)) total += p.numel();
        }
        return total;
    }
}
