#!/usr/bin/env python3
"""Writes a copy of the reference checkpoint fixtures (tests/fixtures/testdata/checkpoints, see its README) in which
the aliased ResNet conv weights of vlp_checkpoint.pth sit at other storage offsets, with the matching
vlp_checkpoint.json. Point SLT_CHECKPOINT_VECTORS at the output folder to check that the tests read what they check
from the fixture descriptions instead of from the numbers of one fixture.

Needs PyTorch only (Debian: apt-get install python3-torch; the fixtures were written with 1.13); never run by the
tests. Example:

    python3 scripts/vectors/reshuffle_vlp_checkpoint.py ../alt-checkpoints --seed 1

Every other file of the source folder is copied unchanged, README.md included (its numbers describe the original).

How the views are laid out. In the source file the 20 conv weights (vlp_checkpoint.json -> resnet_conv_aliasing) are
contiguous views into one float32 storage, and many of them overlap: the overlapping elements are one value seen
through two tensors. Two views can only overlap at the relative offset they had in the source without changing
values, so by default (keep values) the views are split into groups that are moved as rigid blocks:
  - the --detach views that start lowest in the source storage each become a group of their own, so they no longer
    overlap anything (their values are copied);
  - all other views form one block that keeps its relative offsets, and with them every overlap among its members;
  - the blocks are placed in a shuffled order, at a random start and with random gaps, in ONE new storage, and the
    gaps are filled with random values of the source storage's scale.
Every tensor keeps its values exactly, so all recorded outputs (finetune_cases.safetensors, which depends on these
weights, included) stay valid and the whole fixture folder stays consistent; only offsets, storage size and the set of
overlapping pairs change.

--redraw-values instead draws a new storage of the same size and scale and puts every view at a random offset in it,
the way a fresh fixture with other offsets would be made. The conv weights then get new values: the checkpoint and
its JSON are consistent, but finetune_cases.safetensors (the finetuned model's outputs) no longer matches them, so a
folder written that way is only good for the loading and aliasing tests.
"""
import argparse
import collections
import json
import os
import pickle
import random
import shutil
import zipfile

import torch

CHECKPOINT = "vlp_checkpoint.pth"
DESCRIPTION = "vlp_checkpoint.json"


# --- reading a torch.save zip without torch, to see storage keys, locations and offsets --------------------------

StorageRef = collections.namedtuple("StorageRef", "key dtype location numel")
TensorRef = collections.namedtuple("TensorRef", "storage offset size stride requires_grad")


def _rebuild_tensor_ref(storage, offset, size, stride, requires_grad=False, *unused):
    return TensorRef(storage, offset, tuple(size), tuple(stride), requires_grad)


class _LayoutUnpickler(pickle.Unpickler):
    # Tensors become TensorRefs and storages StorageRefs; everything else is unpickled as usual.
    def find_class(self, module, name):
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor_ref
        if module == "torch" and name.endswith("Storage"):
            return name
        return super().find_class(module, name)

    def persistent_load(self, pid):
        kind, dtype, key, location, numel = pid
        assert kind == "storage", pid
        return StorageRef(key, dtype, location, numel)


def read_layout(path):
    """The pickled object with TensorRefs for tensors, the zip root, and the zip entries' compression types."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        root = names[0].split("/")[0]
        layout = _LayoutUnpickler(archive.open(f"{root}/data.pkl")).load()
        methods = {info.compress_type for info in archive.infolist()}
    return layout, root, methods


def storage_bytes(path, root, key):
    with zipfile.ZipFile(path) as archive:
        return archive.read(f"{root}/data/{key}")


def walk(value, path=()):
    """(path, leaf) for every leaf of nested dicts / lists / tuples."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, path + (key,))
    elif isinstance(value, (list, tuple)) and not isinstance(value, (TensorRef, StorageRef)):
        for index, item in enumerate(value):
            yield from walk(item, path + (index,))
    else:
        yield path, value


# --- the new layout ----------------------------------------------------------------------------------------------

def overlapping_pairs(offsets, numels):
    keys = sorted(offsets, key=lambda k: offsets[k])
    pairs = []
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            if offsets[b] < offsets[a] + numels[a]:
                pairs.append((a, b))
    return pairs


def keep_values_layout(offsets, numels, detach, rng):
    """New offsets: the `detach` lowest views alone, the rest as one rigid block; blocks shuffled, random gaps."""
    by_offset = sorted(offsets, key=lambda k: offsets[k])
    if not 0 < detach < len(by_offset):
        raise SystemExit(f"--detach must be between 1 and {len(by_offset) - 1}")
    groups = [[key] for key in by_offset[:detach]] + [by_offset[detach:]]
    for _ in range(1000):
        rng.shuffle(groups)
        new, position = {}, rng.randrange(1, 4096)
        for group in groups:
            base = min(offsets[k] for k in group)
            for key in group:
                new[key] = position + offsets[key] - base
            position = max(new[k] + numels[k] for k in group) + rng.randrange(1, 4096)
        if all(new[k] != offsets[k] for k in offsets):
            return new, position
    raise SystemExit("no layout found in which every offset differs from the source; try another --seed")


def redrawn_layout(offsets, numels, storage_numel, rng):
    """New offsets: each view anywhere in a storage of the source size, as a fresh fixture would place them."""
    for _ in range(1000):
        new = {k: rng.randrange(0, storage_numel - numels[k] + 1) for k in offsets}
        if all(new[k] != offsets[k] for k in offsets) and overlapping_pairs(new, numels):
            return new, storage_numel
    raise SystemExit("no layout found; try another --seed")


def lookup(checkpoint, qualified):
    # resnet_conv_aliasing names a tensor as "<top-level entry>:<state-dict key>".
    entry, key = qualified.split(":", 1)
    return checkpoint[entry], key


# --- saving with the reference's location tags -------------------------------------------------------------------

def save_with_location(obj, path, location):
    # The reference saved on GPU, so every storage carries the tag `location` (cuda:0). A tagger put ahead of
    # PyTorch's own gives every storage that tag without needing CUDA here; torch.load(map_location='cpu') reads it.
    # The registry is private API (checked with PyTorch 1.13); the written file is verified after saving.
    entry = (-1, lambda storage: location, lambda storage, tag: None)
    registry = torch.serialization._package_registry
    registry.insert(0, entry)
    try:
        torch.save(obj, path)
    finally:
        registry.remove(entry)


def write_description(source_text, aliasing):
    """The source JSON text with only its resnet_conv_aliasing object replaced, in the file's own layout."""
    marker = '"resnet_conv_aliasing": '
    start = source_text.index(marker) + len(marker)
    _, length = json.JSONDecoder().raw_decode(source_text[start:])
    indent = source_text[:start].rsplit("\n", 1)[1][: -len(marker)]
    block = json.dumps(aliasing, indent=1).replace("\n", "\n" + indent)
    return source_text[:start] + block + source_text[start + length:]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", help="folder to write (created; must not be the source folder)")
    parser.add_argument("--source", default=os.path.join(here, "..", "..", "tests", "fixtures", "testdata", "checkpoints"),
                        help="fixture folder to copy (default: the repository's)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--detach", type=int, default=1,
                        help="keep-values layout: how many of the lowest views leave the overlapping block (default 1)")
    parser.add_argument("--redraw-values", action="store_true",
                        help="new values and fully random offsets; finetune_cases.safetensors no longer matches")
    args = parser.parse_args()

    source, output = os.path.abspath(args.source), os.path.abspath(args.output)
    if source == output:
        raise SystemExit("the output folder must differ from the source folder")
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)

    with open(os.path.join(source, DESCRIPTION), encoding="utf-8") as f:
        description_text = f.read()
    description = json.loads(description_text)
    aliasing = description["resnet_conv_aliasing"]
    locations = description["storages"]["location_tags"]
    if len(locations) != 1:
        raise SystemExit(f"expected one location tag, found {locations}")

    # The source views, checked against the description.
    source_path = os.path.join(source, CHECKPOINT)
    checkpoint = torch.load(source_path, map_location="cpu")
    offsets = dict(aliasing["storage_offsets"])
    views = {}
    for qualified, offset in offsets.items():
        state, key = lookup(checkpoint, qualified)
        tensor = state[key]
        if tensor.storage_offset() != offset or not tensor.is_contiguous() or tensor.dtype != torch.float32:
            raise SystemExit(f"{qualified}: not a contiguous float32 view at offset {offset}")
        views[qualified] = tensor
    shared = {t.storage().data_ptr() for t in views.values()}
    first = next(iter(views.values()))
    if len(shared) != 1 or first.storage().size() != aliasing["storage_numel"]:
        raise SystemExit("the listed views do not share one storage of storage_numel elements")
    numels = {k: t.numel() for k, t in views.items()}
    source_storage = torch.empty(0).set_(first.storage(), 0, (first.storage().size(),), (1,))
    scale = source_storage.std().item()

    # The new storage and views.
    if args.redraw_values:
        new_offsets, numel = redrawn_layout(offsets, numels, aliasing["storage_numel"], rng)
        storage = torch.randn(numel) * scale
    else:
        new_offsets, numel = keep_values_layout(offsets, numels, args.detach, rng)
        storage = torch.randn(numel) * scale
        for key, tensor in views.items():
            storage[new_offsets[key]:new_offsets[key] + numels[key]] = tensor.flatten()
    for qualified, tensor in views.items():
        state, key = lookup(checkpoint, qualified)
        view = storage.as_strided(tensor.size(), tensor.stride(), new_offsets[qualified])
        if not args.redraw_values and not torch.equal(view, tensor):
            raise SystemExit(f"{qualified}: overlapping views disagree in the new layout")   # cannot happen: rigid blocks
        state[key] = view

    os.makedirs(output, exist_ok=True)
    for name in os.listdir(source):
        if name in (CHECKPOINT, DESCRIPTION):
            continue
        source_item, output_item = os.path.join(source, name), os.path.join(output, name)
        if os.path.isdir(source_item):
            shutil.copytree(source_item, output_item, dirs_exist_ok=True)
        else:
            shutil.copy2(source_item, output_item)
    output_path = os.path.join(output, CHECKPOINT)
    save_with_location(checkpoint, output_path, locations[0])

    # Check the written file against the source: same object tree, same storages, only the views moved.
    old_layout, old_root, _ = read_layout(source_path)
    new_layout, new_root, methods = read_layout(output_path)
    if new_root != old_root or methods != {zipfile.ZIP_STORED}:
        raise SystemExit(f"zip root {new_root} / compression {methods} differ from the source's")
    old_leaves, new_leaves = list(walk(old_layout)), list(walk(new_layout))
    if [p for p, _ in old_leaves] != [p for p, _ in new_leaves]:
        raise SystemExit("the written object tree differs from the source's")
    aliased_paths = {tuple(q.split(":", 1)) for q in offsets}
    storage_keys, old_keys, new_keys = set(), set(), set()
    for (path, old), (_, new) in zip(old_leaves, new_leaves):
        if not isinstance(old, TensorRef):
            if type(old) is not type(new) or old != new:
                raise SystemExit(f"{path}: {old!r} became {new!r}")
            continue
        old_keys.add(old.storage.key)
        new_keys.add(new.storage.key)
        if path in aliased_paths:
            storage_keys.add(new.storage.key)
            expected = (StorageRef(new.storage.key, "FloatStorage", locations[0], numel), new_offsets[":".join(path)])
            if (new.storage, new.offset) != expected or (new.size, new.stride) != (old.size, old.stride):
                raise SystemExit(f"{path}: written as {new}")
        elif new != old or storage_bytes(source_path, old_root, old.storage.key) != storage_bytes(output_path, new_root, new.storage.key):
            raise SystemExit(f"{path}: written as {new}, source {old}")
    if len(storage_keys) != 1 or len(new_keys) != len(old_keys) or len(new_keys) != description["storages"]["count"]:
        raise SystemExit("the views do not share one storage, or the storage count changed")
    reloaded = torch.load(output_path, map_location="cpu")
    for qualified, offset in new_offsets.items():
        state, key = lookup(reloaded, qualified)
        if state[key].storage_offset() != offset or (not args.redraw_values and not torch.equal(state[key], views[qualified])):
            raise SystemExit(f"{qualified}: torch.load reads it back differently")

    new_aliasing = dict(aliasing)
    new_aliasing["storage_key"] = storage_keys.pop()
    new_aliasing["storage_numel"] = numel
    new_aliasing["storage_offsets"] = {k: new_offsets[k] for k in offsets}
    new_text = write_description(description_text, new_aliasing)
    expected_description = dict(description, resnet_conv_aliasing=new_aliasing)
    if json.loads(new_text) != expected_description:
        raise SystemExit("the rewritten JSON differs in more than resnet_conv_aliasing")
    with open(os.path.join(output, DESCRIPTION), "w", encoding="utf-8") as f:
        f.write(new_text)

    before = set(overlapping_pairs(offsets, numels))
    after = set(overlapping_pairs(new_offsets, numels))
    print(f"wrote {output_path}: storage {new_aliasing['storage_key']} of {numel} elements "
          f"(source: {aliasing['storage_key']} of {aliasing['storage_numel']})")
    for qualified in offsets:
        print(f"  {qualified}: {offsets[qualified]} -> {new_offsets[qualified]}")
    print(f"overlapping pairs: {len(before)} in the source, {len(after)} now, {len(before & after)} of them in both")


if __name__ == "__main__":
    main()
