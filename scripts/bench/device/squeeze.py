#!/usr/bin/env python3
"""Shrink model.safetensors for carrying to a benchmark machine, and back.

    squeeze.py pack   model.safetensors model.q8
    squeeze.py unpack model.q8 model.safetensors

pack stores every float32 tensor as int8 with one scale per tensor (a
quarter of the size; other dtypes verbatim); unpack widens it back to a
float32 safetensors file with the original header. The values are
approximate, so the result is only for timing: the model computes the same
operations on numbers of the same kind. numpy only.
"""

import json
import struct
import sys

import numpy as np


def tensors(header):
    items = ((k, v) for k, v in header.items() if k != "__metadata__")
    return sorted(items, key=lambda kv: kv[1]["data_offsets"][0])


def pack(src, dst):
    raw = open(src, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header, body = json.loads(raw[8:8 + n]), raw[8 + n:]
    out = [raw[:8 + n]]
    for _, t in tensors(header):
        a, b = t["data_offsets"]
        if t["dtype"] != "F32":
            out.append(body[a:b])
            continue
        x = np.frombuffer(body[a:b], dtype=np.float32)
        s = float(np.abs(x).max()) / 127 or 1.0
        out += [struct.pack("<f", s), np.round(x / s).astype(np.int8).tobytes()]
    open(dst, "wb").write(b"".join(out))


def unpack(src, dst):
    raw = open(src, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header, p = json.loads(raw[8:8 + n]), 8 + n
    body = bytearray(max(t["data_offsets"][1] for _, t in tensors(header)))
    for _, t in tensors(header):
        a, b = t["data_offsets"]
        if t["dtype"] != "F32":
            body[a:b] = raw[p:p + b - a]
            p += b - a
            continue
        s = struct.unpack("<f", raw[p:p + 4])[0]
        q = np.frombuffer(raw[p + 4:p + 4 + (b - a) // 4], dtype=np.int8)
        p += 4 + (b - a) // 4
        body[a:b] = (q.astype(np.float32) * s).tobytes()
    open(dst, "wb").write(raw[:8 + n] + bytes(body))


if __name__ == "__main__":
    {"pack": pack, "unpack": unpack}[sys.argv[1]](sys.argv[2], sys.argv[3])
