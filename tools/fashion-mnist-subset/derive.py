#!/usr/bin/env python3
"""Derives pmodel's shipped Fashion-MNIST subset from the full data (Debian's
dataset-fashion-mnist): the first TRAIN training images and the first TEST test images, with their
labels, as gzipped IDX files. Run once; the output is committed beside Fashion-MNIST's MIT licence.

    python3 tools/fashion-mnist-subset/derive.py [SOURCE_DIR] [OUT_DIR]
"""
import gzip
import struct
import sys
from pathlib import Path

TRAIN = 3000
TEST = 1000
SOURCE = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist")
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else
           Path(__file__).resolve().parents[2]
           / "data/src/main/resources/pmodel/data/builtin/fashion-mnist-subset")


def subset(name, count):
    data = gzip.decompress((SOURCE / (name + ".gz")).read_bytes())
    ndim = data[3]
    dims = list(struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim]))
    row = 1
    for d in dims[1:]:
        row *= d
    if dims[0] < count:
        raise SystemExit(f"{name} holds {dims[0]} rows, fewer than {count}")
    header = data[:4] + struct.pack(">" + "I" * ndim, count, *dims[1:])
    body = data[4 + 4 * ndim:4 + 4 * ndim + count * row]
    # mtime=0 so that the output is byte-for-byte reproducible
    (OUT / (name + ".gz")).write_bytes(gzip.compress(header + body, compresslevel=9, mtime=0))


OUT.mkdir(parents=True, exist_ok=True)
for prefix, count in (("train", TRAIN), ("t10k", TEST)):
    subset(prefix + "-images-idx3-ubyte", count)
    subset(prefix + "-labels-idx1-ubyte", count)
print(f"wrote {TRAIN} training and {TEST} test images to {OUT}")
