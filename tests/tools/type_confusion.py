#!/usr/bin/env python3
"""Writes manifests whose fields have the wrong type, for robustness tests.

Rules read fields written by anyone: a `replicas: "3"`, a `containers: {}`,
a `labels: [a]` or a `ports: null` must give a finding or a pass, never a
crash, a hang or a silently skipped object. This takes real manifests and
replaces one to three values in each copy with a value of another type (or
an empty or deeply nested one), deterministically from the seed.

Usage: type_confusion.py SEED COUNT OUT_DIR INPUT_DIR...
"""
import copy
import os
import random
import sys

import yaml


def documents(dirs):
    for top in dirs:
        for root, _, files in sorted(os.walk(top)):
            for name in sorted(files):
                if not name.endswith((".yaml", ".yml", ".json")):
                    continue
                try:
                    with open(os.path.join(root, name), encoding="utf-8") as f:
                        for doc in yaml.safe_load_all(f):
                            if isinstance(doc, dict) and "kind" in doc:
                                yield doc
                except Exception:  # our own tests cover the decoder; skip what PyYAML rejects
                    continue


def paths(node, prefix=()):
    """Every path to a value inside `node` (not the root)."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield prefix + (k,)
            yield from paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield prefix + (i,)
            yield from paths(v, prefix + (i,))


def replacement(rng, old):
    choices = [
        None, {}, [], "", "x", "true", "0777", 0, -1, 2**63 - 1, 1.5, -0.0, True, False,
        [None], [[]], [{}], {"": None}, {"a": [1, {"b": None}]}, ["a", 1, None],
        "a" * 300, "../../etc/passwd", "*", "0.0.0.0/0", "RuntimeDefault", "ALL",
    ]
    if isinstance(old, list) and old:
        choices += [old[0], {"items": old}, old * 3]
    if isinstance(old, dict) and old:
        choices += [list(old.values()), list(old.keys()), {k: None for k in old}]
    if isinstance(old, str):
        choices += [[old], {old: old}, old.upper(), old + "\x00"]
    if isinstance(old, (int, float)) and not isinstance(old, bool):
        choices += [str(old), [old], -old, old * 1e6]
    nested = None
    for _ in range(rng.choice([1, 10, 60])):
        nested = [nested] if rng.random() < 0.5 else {"k": nested}
    choices.append(nested)
    return rng.choice(choices)


def mutate(rng, doc):
    doc = copy.deepcopy(doc)
    all_paths = [p for p in paths(doc) if p[0] not in ("apiVersion", "kind")]
    if not all_paths:
        return doc
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(all_paths)
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = replacement(rng, parent[path[-1]])
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the path
    return doc


def main():
    seed, count, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(seed)
    corpus = list(documents(sys.argv[4:]))
    if not corpus:
        sys.exit("no manifests found in " + " ".join(sys.argv[4:]))
    os.makedirs(out, exist_ok=True)
    per_file = 50
    for start in range(0, count, per_file):
        docs = [mutate(rng, rng.choice(corpus)) for _ in range(min(per_file, count - start))]
        with open(os.path.join(out, "mutants-%05d.yaml" % start), "w", encoding="utf-8") as f:
            yaml.safe_dump_all(docs, f, allow_unicode=True, sort_keys=False, width=1 << 20)
    print("%d mutants of %d manifests" % (count, len(corpus)))


if __name__ == "__main__":
    main()
