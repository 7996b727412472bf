#!/usr/bin/env python3
"""Writes the krew plugin manifest (ci/krew/mesh.yaml) for a release from its archives.

Usage:
    scripts/krew-manifest.py VERSION BASE_URL ARCHIVE... > ci/krew/mesh.yaml

VERSION is the release's semantic version (`0.2.0`); BASE_URL is where the archives are
published (`https://github.com/OWNER/meshctl/releases/download/v0.2.0`); each ARCHIVE is a
`.tar.gz` (or `.zip` for Windows) named `meshctl-VERSION-TARGET.tar.gz` after its Rust target
triple, holding `kubectl-mesh` (`kubectl-mesh.exe`) and `kubectl_complete-mesh` at its root, as
`cargo build --profile dist --target TARGET` builds them. The sha256 of every archive is computed
from the file, so the manifest can only be written from the real artefacts. Submit the output
to krew-index as `plugins/mesh.yaml`.
"""

import hashlib
import os
import re
import sys

# Rust target triple -> krew's (os, arch).
PLATFORMS = {
    "x86_64-unknown-linux-gnu": ("linux", "amd64"),
    "x86_64-unknown-linux-musl": ("linux", "amd64"),
    "aarch64-unknown-linux-gnu": ("linux", "arm64"),
    "aarch64-unknown-linux-musl": ("linux", "arm64"),
    "x86_64-apple-darwin": ("darwin", "amd64"),
    "aarch64-apple-darwin": ("darwin", "arm64"),
    "x86_64-pc-windows-msvc": ("windows", "amd64"),
    "aarch64-pc-windows-msvc": ("windows", "arm64"),
}

DESCRIPTION = """\
meshctl checks Istio configuration before it ships: schema and admission
validation at file:line:column, Istio's analyzers offline or on the
cluster, best-practice lint, semantic diffs with their effect on traffic,
and route tests that explain which Gateway, VirtualService rule and
destination a request hits.

  kubectl mesh validate k8s/
  kubectl mesh analyze -n shop
  kubectl mesh route-test http://shop.example.com/api -f k8s/
"""


def fail(msg):
    print(f"krew-manifest: {msg}", file=sys.stderr)
    sys.exit(2)


def main(argv):
    if len(argv) < 4:
        fail("usage: krew-manifest.py VERSION BASE_URL ARCHIVE...")
    version, base, archives = argv[1], argv[2].rstrip("/"), argv[3:]
    if not re.fullmatch(r"\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?", version):
        fail(f"{version!r} is not a semantic version (e.g. 0.2.0)")
    if not base.startswith("https://"):
        fail("krew downloads over HTTPS only: BASE_URL must start with https://")
    platforms = []
    seen = set()
    for path in archives:
        name = os.path.basename(path)
        m = re.fullmatch(rf"meshctl-{re.escape(version)}-(.+)\.(tar\.gz|zip)", name)
        if not m:
            fail(f"{name}: expected meshctl-{version}-TARGET.tar.gz (or .zip)")
        target = m.group(1)
        if target not in PLATFORMS:
            fail(f"{name}: unknown target {target!r}; known: {', '.join(sorted(PLATFORMS))}")
        os_name, arch = PLATFORMS[target]
        if (os_name, arch) in seen:
            fail(f"{name}: a second archive for {os_name}/{arch}")
        seen.add((os_name, arch))
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        exe = ".exe" if os_name == "windows" else ""
        platforms.append((os_name, arch, f"{base}/{name}", digest, exe))
    platforms.sort()
    out = [
        "apiVersion: krew.googlecontainertools.github.com/v1alpha2",
        "kind: Plugin",
        "metadata:",
        "  name: mesh",
        "spec:",
        f"  version: v{version}",
        "  homepage: " + base.split("/releases/")[0],
        "  shortDescription: Validate, analyze and route-test Istio config",
        "  description: |",
    ]
    out += ["    " + line if line else "" for line in DESCRIPTION.splitlines()]
    out.append("  platforms:")
    for os_name, arch, uri, digest, exe in platforms:
        out += [
            "  - selector:",
            "      matchLabels:",
            f"        os: {os_name}",
            f"        arch: {arch}",
            f"    uri: {uri}",
            f"    sha256: {digest}",
            f"    bin: kubectl-mesh{exe}",
            "    files:",
            f"    - from: kubectl-mesh{exe}",
            "      to: .",
            f"    - from: kubectl_complete-mesh{exe}",
            "      to: .",
        ]
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv)
