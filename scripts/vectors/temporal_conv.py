#!/usr/bin/env python3
"""Reference vectors for GFSLT-VLP's TemporalConv (conv_type 2: K5, P2, K5, P2), in the fixture format of
tests/fixtures/testdata/models (see its README): a weights file, a cases file and their manifest.json entries.

Needs PyTorch only (Debian: apt-get install python3-torch); never run by the tests. Example:

    /usr/bin/python3 scripts/vectors/temporal_conv.py --input 20 --hidden 36 --eval 2x16 3x33 --train 3x18 --seed 7

writes temporal_conv_c20_h36_{weights,cases}.safetensors into the folder (default: the repository's fixtures) and
adds or replaces their entries in that folder's manifest.json.
"""
import argparse
import json
import os
import re
import struct

import torch
from torch import nn

DTYPES = {torch.float32: "F32", torch.int64: "I64"}


def reference_temporal_conv(input_size, hidden_size):
    # The reference module: conv_type 2 of GFSLT-VLP's TemporalConv, an nn.Sequential named temporal_conv.
    module = nn.Module()
    module.temporal_conv = nn.Sequential(
        nn.Conv1d(input_size, hidden_size, kernel_size=5, stride=1, padding=0),
        nn.BatchNorm1d(hidden_size),
        nn.ReLU(inplace=True),
        nn.MaxPool1d(kernel_size=2, ceil_mode=False),
        nn.Conv1d(hidden_size, hidden_size, kernel_size=5, stride=1, padding=0),
        nn.BatchNorm1d(hidden_size),
        nn.ReLU(inplace=True),
        nn.MaxPool1d(kernel_size=2, ceil_mode=False),
    )
    return module


def forward(module, x):
    # x [B,T,C] -> [B,T',H], as FeatureExtracter calls it (permute in, permute out).
    return module.temporal_conv(x.permute(0, 2, 1)).permute(0, 2, 1)


def randomise_batch_norms(module, generator):
    # Non-default affine parameters and running statistics, so that a loader that drops any of them fails.
    with torch.no_grad():
        for layer in module.temporal_conv:
            if isinstance(layer, nn.BatchNorm1d):
                n = layer.num_features
                layer.weight.copy_(1 + 0.3 * torch.randn(n, generator=generator))
                layer.bias.copy_(0.2 * torch.randn(n, generator=generator))
                layer.running_mean.copy_(0.5 * torch.randn(n, generator=generator))
                layer.running_var.copy_(0.5 + torch.rand(n, generator=generator))
                layer.num_batches_tracked.fill_(5)


def write_safetensors(path, tensors, metadata=None):
    header, offset, blobs = {}, 0, []
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        data = t.detach().contiguous().cpu().numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def describe(tensors):
    return {name: {"dtype": DTYPES[t.dtype], "shape": list(t.shape)} for name, t in tensors.items()}


def tolerance(file, name, expected, deviation, atol, rtol):
    allowed = atol + rtol * expected.abs()
    return {
        "file": file, "tensor": name,
        "max_abs_dev_fp32_vs_fp64": float(deviation.abs().max()),
        "max_abs_value": float(expected.abs().max()),
        "max_dev_over_tolerance": float((deviation.abs() / allowed).max()),
        "recommended_atol": atol, "recommended_rtol": rtol,
    }


def manifest_text(manifest):
    # The manifest's layout: one space per level, arrays of numbers or strings on one line.
    text = json.dumps(manifest, indent=1, ensure_ascii=False)
    inline = lambda m: "[" + ", ".join(item.strip() for item in m.group(1).split(",\n")) + "]"
    return re.sub(r"\[\n\s*([^\[\]{}]*?)\n\s*\]", inline, text) + "\n"


def shape(text):
    batch, frames = text.lower().split("x")
    return int(batch), int(frames)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", type=int, required=True, help="input channels C")
    parser.add_argument("--hidden", type=int, required=True, help="hidden channels H")
    parser.add_argument("--eval", nargs="+", type=shape, required=True, help="eval cases as BxT")
    parser.add_argument("--train", type=shape, help="one train-mode case as BxT (BN buffers after it are recorded)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures", "testdata", "models"))
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    module = reference_temporal_conv(args.input, args.hidden)
    randomise_batch_norms(module, generator)
    stem = f"temporal_conv_c{args.input}_h{args.hidden}"
    weights_file, cases_file = f"{stem}_weights.safetensors", f"{stem}_cases.safetensors"
    # Cloned: the train-mode case below updates the running statistics in place.
    weights = {k: v.clone() for k, v in module.state_dict().items()}

    cases, descriptions, tolerances = {}, {}, []
    for batch, frames in args.eval:
        name = f"eval_b{batch}_t{frames}"
        x = torch.randn(batch, frames, args.input, generator=generator)
        module.eval()
        with torch.no_grad():
            y = forward(module, x)
            y64 = forward(module.double(), x.double())
            module.float()
        cases[f"{name}.input"], cases[f"{name}.output"] = x, y
        descriptions[name] = f"eval mode; input [B,T,C]=[{batch},{frames},{args.input}] -> output [B,T',H]={list(y.shape)}"
        tolerances.append(tolerance(cases_file, f"{name}.output", y, y.double() - y64, 1e-5, 1e-5))

    if args.train:
        batch, frames = args.train
        x = torch.randn(batch, frames, args.input, generator=generator)
        twin = reference_temporal_conv(args.input, args.hidden).double()
        twin.load_state_dict(module.state_dict())
        module.train()
        twin.train()
        with torch.no_grad():
            y = forward(module, x)
            y64 = forward(twin, x.double())
        cases["train.input"], cases["train.output"] = x, y
        after = {k: v for k, v in module.state_dict().items() if "running" in k or "num_batches" in k}
        after64 = twin.state_dict()
        for key, value in after.items():
            cases[f"train.after.{key}"] = value
        running = [k for k in after if "running" in k]
        deviation = torch.cat([(after[k].double() - after64[k]).flatten() for k in running])
        expected = torch.cat([after[k].flatten() for k in running])
        descriptions["train"] = (f"TRAIN mode (BatchNorm1d normalises with the batch statistics over (B,T), biased variance); "
                                 f"input [{batch},{frames},{args.input}] -> output {list(y.shape)}; train.after.* = BN buffers after "
                                 f"this one forward (momentum 0.1, running_var updated with the unbiased batch variance, "
                                 f"num_batches_tracked 5 -> 6)")
        tolerances.append(tolerance(cases_file, "train.output", y, y.double() - y64, 5e-5, 1e-4))
        tolerances.append(tolerance(cases_file, "train.after.*", expected, deviation, 1e-5, 1e-5))

    os.makedirs(args.out, exist_ok=True)
    write_safetensors(os.path.join(args.out, weights_file), weights)
    write_safetensors(os.path.join(args.out, cases_file), cases, {"weights_file": weights_file})

    manifest_path = os.path.join(args.out, "manifest.json")
    manifest = {"files": {}, "tolerances": []}
    if os.path.exists(manifest_path):
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
    manifest["files"][weights_file] = {
        "format": "safetensors",
        "description": f"GFSLT-VLP TemporalConv(input_size={args.input}, hidden_size={args.hidden}, conv_type=2) state dict; "
                       f"BatchNorm weight/bias/running stats are non-default (scripts/vectors/temporal_conv.py, seed {args.seed})",
        "tensors": describe(weights),
    }
    manifest["files"][cases_file] = {
        "format": "safetensors",
        "description": f"TemporalConv(input_size={args.input}, hidden_size={args.hidden}, conv_type=2) cases; weights: {weights_file}",
        "tensors": describe(cases),
        "cases": descriptions,
    }
    manifest["tolerances"] = [t for t in manifest["tolerances"] if t["file"] != cases_file] + tolerances
    with open(manifest_path, "w", encoding="utf-8") as f:
        f.write(manifest_text(manifest))
    for t in tolerances:
        print(f"{cases_file} {t['tensor']}: fp32 vs fp64 {t['max_abs_dev_fp32_vs_fp64']:.2e}, "
              f"{t['max_dev_over_tolerance']:.3f} of the tolerance")


if __name__ == "__main__":
    main()
