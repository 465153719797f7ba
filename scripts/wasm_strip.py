#!/usr/bin/env python3
"""Removes the debug-only custom sections (function names, producers) from a .wasm file, in place.

wasm-pack keeps the name section; browsers never need it, and it is a third of the file.
"""
import sys

DROP = {b"name", b"producers"}


def leb128(data, i):
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def strip(data):
    if data[:4] != b"\0asm":
        raise ValueError("not a WebAssembly module")
    out = bytearray(data[:8])
    i = 8
    while i < len(data):
        start = i
        section_id = data[i]
        size, body = leb128(data, i + 1)
        end = body + size
        if section_id == 0:
            name_len, name_start = leb128(data, body)
            if data[name_start:name_start + name_len] in DROP:
                i = end
                continue
        out += data[start:end]
        i = end
    return bytes(out)


if __name__ == "__main__":
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            data = f.read()
        stripped = strip(data)
        with open(path + ".tmp", "wb") as f:
            f.write(stripped)
        import os
        os.replace(path + ".tmp", path)
