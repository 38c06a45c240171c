#!/usr/bin/env python3
"""Pose keypoint fixtures: the same keypoints in the three formats `slt` reads (docs/pose.md#formats), plus pickles
that must be refused. Writes tests/fixtures/testdata/pose/ (see its README):

    <case>/unisign.pkl            pickle.dump({'keypoints': float32 [T, P, 133, 2], 'scores': float32 [T, P, 133]}, f)
    <case>/openpose/              one <video>_<frame:012d>_keypoints.json per frame (BODY_25, face 70, hands 21)
    <case>/keypoints.safetensors  float32 'keypoints' [T, 133, 3], written by hand (no safetensors package needed)
    <case>/expected.json          {"frames": T, "values": [T*133*3 floats]}: person 0 in COCO-WholeBody (x, y, score)
    malicious/*.pkl               hand-written pickles naming os.system, builtins.eval, subprocess.Popen
    malicious/refusals.json       the marker file, and file -> the global the refusal must name

Needs numpy only (Debian's /usr/bin/python3 has 1.24); never run by the tests. The malicious pickles are never
loaded here; their payload is harmless (`touch` of a marker file the tests check is absent).

    /usr/bin/python3 scripts/vectors/make-pose-fixtures.py [--out FOLDER]
"""
import argparse
import json
import os
import pickle
import shutil
import struct

import numpy as np

JOINTS = 133
# COCO-WholeBody body and foot joint -> BODY_25 point (docs/pose.md#formats); the inverse builds the OpenPose files.
BODY25_OF_COCO = [0, 16, 15, 18, 17, 5, 2, 6, 3, 7, 4, 12, 9, 13, 10, 14, 11, 19, 20, 21, 22, 23, 24]
FACE, LEFT_HAND, RIGHT_HAND = 23, 91, 112
MARKER = "/tmp/slt-pose-malicious-marker"


def keypoints(rng, frames, persons):
    """x, y in pixels and scores, all exact in float32 and in short decimals (multiples of 1/64 and 1/256), with
    some undetected joints (0, 0, score 0) as real extractors write them."""
    xy = np.round(rng.uniform(0, [640, 480], size=(frames, persons, JOINTS, 2)) * 64) / 64
    scores = rng.integers(0, 256, size=(frames, persons, JOINTS)) / 256
    missing = rng.random((frames, persons, JOINTS)) < 0.1
    xy[missing] = 0
    scores[missing] = 0
    return xy.astype(np.float32), scores.astype(np.float32)


def openpose_person(xy, scores, rng):
    """One person's OpenPose arrays laid out from COCO-WholeBody joints by the inverse mapping. BODY_25's neck and
    mid-hip and the face's two pupils have no COCO joint: they get values the reader must drop."""
    def triple(j):
        return [float(xy[j, 0]), float(xy[j, 1]), float(scores[j])]

    pose = [[float(v) for v in (rng.integers(0, 640), rng.integers(0, 480), 0.5)] for _ in range(25)]
    for coco, body25 in enumerate(BODY25_OF_COCO):
        pose[body25] = triple(coco)
    face = [triple(FACE + i) for i in range(68)] + [[1.0, 2.0, 0.75], [3.0, 4.0, 0.75]]
    return {
        "person_id": [-1],
        "pose_keypoints_2d": sum(pose, []),
        "face_keypoints_2d": sum(face, []),
        "hand_left_keypoints_2d": sum((triple(LEFT_HAND + i) for i in range(21)), []),
        "hand_right_keypoints_2d": sum((triple(RIGHT_HAND + i) for i in range(21)), []),
        "pose_keypoints_3d": [], "face_keypoints_3d": [], "hand_left_keypoints_3d": [], "hand_right_keypoints_3d": [],
    }


def write_safetensors(path, values):
    data = values.astype("<f4").tobytes()
    header = json.dumps({"keypoints": {"dtype": "F32", "shape": list(values.shape), "data_offsets": [0, len(data)]}},
                        separators=(",", ":")).encode()
    header += b" " * (-len(header) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header)) + header + data)


def write_case(folder, name, rng, frames, persons, protocol):
    case = os.path.join(folder, name)
    os.makedirs(os.path.join(case, "openpose"))
    xy, scores = keypoints(rng, frames, persons)
    if persons > 1:
        scores[:, 1:] *= 0.5  # the signer (person 0) is the most confident person, so OpenPose's choice agrees
    with open(os.path.join(case, "unisign.pkl"), "wb") as f:
        if protocol is None:
            pickle.dump({"keypoints": xy, "scores": scores}, f)
        else:
            pickle.dump({"keypoints": xy, "scores": scores}, f, protocol=protocol)

    expected = np.concatenate([xy[:, 0], scores[:, 0, :, None]], axis=-1)  # [T, 133, 3]
    write_safetensors(os.path.join(case, "keypoints.safetensors"), expected)
    for t in range(frames):
        people = [openpose_person(xy[t, p], scores[t, p], rng) for p in range(persons)]
        people.reverse()  # the reader picks by confidence, not by position
        with open(os.path.join(case, "openpose", f"{name}_{t:012d}_keypoints.json"), "w") as f:
            json.dump({"version": 1.3, "people": people}, f)
    with open(os.path.join(case, "expected.json"), "w") as f:
        json.dump({"frames": frames, "values": [float(v) for v in expected.reshape(-1)]}, f)


def write_malicious(folder):
    """Hand-written opcodes, so each names exactly the global it claims (pickling os.system itself would write
    posix.system). Each would run `touch MARKER` if a reader executed it."""
    command = f"touch {MARKER}".encode()
    short = bytes([0x8c, len(command)]) + command  # SHORT_BINUNICODE
    files = {
        # protocol 4: STACK_GLOBAL os.system, called by REDUCE
        "os_system.pkl": (b"\x80\x04\x8c\x02os\x94\x8c\x06system\x94\x93\x94" + short + b"\x85R."),
        # protocol 2: GLOBAL builtins.eval
        "builtins_eval.pkl": (b"\x80\x02cbuiltins\neval\n"
                              + bytes([0x8c, len(b"__import__('os').system('" + command + b"')")])
                              + b"__import__('os').system('" + command + b"')" + b"\x85R."),
        # protocol 0: INST subprocess.Popen with a list argument
        "subprocess_popen.pkl": b"(](S'touch'\nS'" + MARKER.encode() + b"'\neisubprocess\nPopen\n.",
    }
    # A valid keypoint dict whose pickle also calls os.system: the numpy globals are allowed, the extra one is not.
    xy, scores = keypoints(np.random.default_rng(1), 2, 1)
    valid = pickle.dumps({"keypoints": xy, "scores": scores}, protocol=4)
    assert valid.endswith(b"u."), "expected a dict pickle ending in SETITEMS, STOP"
    files["numpy_and_os_system.pkl"] = (valid[:-2] + b"\x8c\x05extra\x8c\x02os\x8c\x06system\x93" + short + b"\x85Ru.")
    os.makedirs(folder)
    for name, data in files.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
    refused = {"os_system.pkl": "os.system", "builtins_eval.pkl": "builtins.eval",
               "subprocess_popen.pkl": "subprocess.Popen", "numpy_and_os_system.pkl": "os.system"}
    with open(os.path.join(folder, "refusals.json"), "w") as f:
        json.dump({"marker": MARKER, "refused": refused}, f, indent=1)


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(root, "tests", "fixtures", "testdata", "pose"))
    args = parser.parse_args()
    for name in ("default_protocol", "highest_protocol", "two_persons", "malicious"):
        shutil.rmtree(os.path.join(args.out, name), ignore_errors=True)
    rng = np.random.default_rng(17)
    write_case(args.out, "default_protocol", rng, frames=4, persons=1, protocol=None)
    write_case(args.out, "highest_protocol", rng, frames=3, persons=1, protocol=pickle.HIGHEST_PROTOCOL)
    write_case(args.out, "two_persons", rng, frames=2, persons=2, protocol=None)
    write_malicious(os.path.join(args.out, "malicious"))


if __name__ == "__main__":
    main()
