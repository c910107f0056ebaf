#!/usr/bin/env python3
"""The host's layers depend only downwards (docs/architecture.md, "Layers").

The build already refuses most violations: each layer's folder is a
private include directory, and a layer links only the layers below it.
Two holes remain that include paths cannot close, and this test closes
them: a quoted include is first looked up beside the including file, so
`#include "daemon/http.h"` from core/ would compile, and a file could
include a header of its own folder that is another layer's (core/ is the
parent of the other layers' folders). The public headers of each layer
are read from its CMakeLists.txt (nbaq_layer(... PUBLIC_HEADERS ...)).
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
# Bottom to top; main.c is above every layer.
LAYERS = [
    ("nbaq_history", "core/history"),
    ("nbaq_core", "core"),
    ("nbaq_alerts", "core/alerts"),
    ("nbaq_run", "core/run"),
    ("nbaq_daemon", "core/daemon"),
]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def public_headers(folder):
    text = (ROOT / folder / "CMakeLists.txt").read_text()
    m = re.search(r"nbaq_layer\(\s*\w+\s+PUBLIC_HEADERS\s+([^)]*)\)", text)
    if not m:
        sys.exit(f"{folder}/CMakeLists.txt: no nbaq_layer(... PUBLIC_HEADERS)")
    return set(m.group(1).split())


def owner_of(header):
    """The layer whose folder holds `header`, or None (sdk, lib, base)."""
    for rank, (_, folder) in enumerate(LAYERS):
        if (ROOT / folder / header).is_file():
            return rank
    return None


def violations():
    public = [public_headers(folder) for _, folder in LAYERS]
    sources = [(rank, p) for rank, (_, folder) in enumerate(LAYERS)
               for p in sorted((ROOT / folder).glob("*.[ch]"))
               if p.name != "main.c"]
    sources.append((len(LAYERS), ROOT / "core" / "main.c"))
    for rank, path in sources:
        rel = path.relative_to(ROOT)
        for m in INCLUDE.finditer(path.read_text()):
            header = m.group(1)
            line = path.read_text().count("\n", 0, m.start()) + 1
            where = f"{rel}:{line}: #include \"{header}\""
            if "/" in header:
                yield f"{where}: a path reaches into another folder; " \
                      "include the layer's public header by name"
                continue
            owner = owner_of(header)
            if owner is None or owner == rank:
                continue
            name = LAYERS[owner][0]
            if owner > rank:
                yield f"{where}: {name} is above this layer"
            elif header not in public[owner]:
                yield f"{where}: not a public header of {name}"


def main():
    found = list(violations())
    for v in found:
        print(v)
    if found:
        print(f"{len(found)} include(s) break the layering")
        return 1
    print("layers: every include goes to a lower layer's public header")
    return 0


if __name__ == "__main__":
    sys.exit(main())
