#!/usr/bin/env python3
"""Generates src/check/validate/envoy_descriptors.bin: the protobuf descriptors of Envoy's xDS API
(and the cncf/xds, udpa, google.protobuf files it imports), which meshctl uses to decode an
EnvoyFilter's `patch.value` the way istiod's webhook does.

The descriptors come from the published `envoy-types` crate (crates.io), which ships Envoy's
data-plane-api .proto files and the compiled descriptor set of them (`src/generated/types.bin`).
The crate is downloaded with `cargo fetch` into a scratch project; nothing is copied by hand.
The script keeps every file of the set and drops what meshctl does not need to decode JSON:
source code info (comments, spans), which is four fifths of the size.

Usage: scripts/gen-envoy-descriptors.py > src/check/validate/envoy_descriptors.bin
Needs: cargo, python3. To move to a newer Envoy API, raise ENVOY_TYPES below (and the version
named in docs/development.md), run the script, and run
`cargo test --lib check::validate::envoy_value`.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

ENVOY_TYPES = "0.7.7"

# FileDescriptorSet.file = 1; FileDescriptorProto.source_code_info = 9.
SET_FILE = 1
SOURCE_CODE_INFO = 9


def varint(buf, i):
    value, shift = 0, 0
    while True:
        byte = buf[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def encode_varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def fields(buf):
    """Yields (field number, payload of a length-delimited field or None, raw bytes)."""
    i = 0
    while i < len(buf):
        start = i
        key, i = varint(buf, i)
        number, wire = key >> 3, key & 7
        payload = None
        if wire == 0:
            _, i = varint(buf, i)
        elif wire == 1:
            i += 8
        elif wire == 2:
            length, i = varint(buf, i)
            payload = buf[i:i + length]
            i += length
        elif wire == 5:
            i += 4
        else:
            raise ValueError(f"unexpected wire type {wire}")
        yield number, payload, buf[start:i]


def strip(descriptor_set):
    out = bytearray()
    for number, payload, raw in fields(descriptor_set):
        if number != SET_FILE:
            out += raw
            continue
        kept = b"".join(r for n, _, r in fields(payload) if n != SOURCE_CODE_INFO)
        out += encode_varint(SET_FILE << 3 | 2) + encode_varint(len(kept)) + kept
    return bytes(out)


def crate_dir():
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "Cargo.toml"), "w") as f:
            f.write('[package]\nname = "probe"\nversion = "0.0.0"\nedition = "2021"\n'
                    f'[lib]\npath = "lib.rs"\n[dependencies]\nenvoy-types = "={ENVOY_TYPES}"\n')
        open(os.path.join(tmp, "lib.rs"), "w").close()
        subprocess.run(["cargo", "fetch", "--quiet"], cwd=tmp, check=True)
        meta = json.loads(subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--offline"], cwd=tmp, check=True,
            capture_output=True, text=True).stdout)
    for package in meta["packages"]:
        if package["name"] == "envoy-types" and package["version"] == ENVOY_TYPES:
            return os.path.dirname(package["manifest_path"])
    sys.exit(f"envoy-types {ENVOY_TYPES} not found")


def main():
    root = crate_dir()
    found = glob.glob(os.path.join(root, "src", "generated", "types.bin"))
    if not found:
        sys.exit(f"no src/generated/types.bin in {root}")
    with open(found[0], "rb") as f:
        data = strip(f.read())
    sys.stdout.buffer.write(data)


if __name__ == "__main__":
    main()
