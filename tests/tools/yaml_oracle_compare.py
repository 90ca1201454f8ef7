#!/usr/bin/env python3
"""Differential test of kspm's decoder against Kubernetes' own YAML reader.

Runs decode_dump (kspm) and k8s-yaml-oracle -strict (sigs.k8s.io/yaml over
go-yaml v2, as kubectl reads YAML with duplicate keys rejected) over the same
inputs and compares, document by document, the decoded JSON value (object key
order ignored, numbers compared as numbers) or, when either side fails, that
both fail (messages may differ). Any disagreement is printed with its input
and makes the exit status 1.

Modes:
  files  DIR...    every file under the folders, split as kubectl's YAMLReader
                   splits (non-empty documents compared in order)
  cases  DIR...    same files, but split as the oracle splits, so that every
                   document index lines up (for hand-written edge cases)
  json   SEED N DIR...  JSON streams (random, and mutations of the .json files
                   under DIR) read by kspm and by Go's encoding/json as
                   kubectl reads them (ORACLE is tests/tools/json_oracle)
  generate SEED N DIR OUT  only write the fuzz inputs into OUT
  fuzz   SEED N DIR...  N deterministic cases: mutations of YAML files under DIR
                   (scalars flipped, indentation changed, special characters
                   and YAML constructs inserted, lines duplicated or dropped),
                   random flow/block documents, structured documents with
                   anchors, merges, tags and block scalars, and token soups;
                   plus every special scalar in every position. Split as the
                   oracle splits.

Known, deliberate differences (yaml_decoder.cpp lists them) are counted, not
failed: kspm refuses a document that Kubernetes would read only where kspm's
message says why (limits, ambiguous keys, tags glued to ',').
"""

import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile

# kspm errors where Kubernetes reads something, on purpose (see yaml_decoder.cpp).
ALLOWED_STRICTER = [
    ("ambiguous-key", "Kubernetes would keep either value at random"),
    ("limit", "nesting deeper than"),
    ("limit", "nests deeper than"),
    ("limit", "exceeds the limit of"),
    ("limit", "nodes through aliases"),
    ("tag-comma", "is directly followed by ','"),
    ("reread-limit", "too many plain scalars"),
]


def run_lines(cmd):
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    lines = []
    for raw in out.stdout.decode("utf-8", "replace").split("\n"):
        raw = raw.strip()
        if raw:
            lines.append(json.loads(raw))
    return lines


def run_batched(base, files, batch=400):
    results = []
    for i in range(0, len(files), batch):
        results += run_lines(base + files[i:i + batch])
    return results


def same_value(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) and isinstance(b, int):
            return a == b
        fa, fb = float(a), float(b)
        return fa == fb or (math.isnan(fa) and math.isnan(fb))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


class Report:
    def __init__(self):
        self.compared = 0
        self.agreed_values = 0
        self.agreed_errors = 0
        self.allowed = {}
        self.skipped = {}
        self.failures = []

    def allow(self, kind):
        self.allowed[kind] = self.allowed.get(kind, 0) + 1

    def skip(self, kind):
        self.skipped[kind] = self.skipped.get(kind, 0) + 1


def compare_doc(report, path, ours, oracle):
    report.compared += 1
    our_err = ours.get("error")
    their_err = oracle.get("error")
    if our_err is not None and their_err is not None:
        report.agreed_errors += 1
        return
    if our_err is None and their_err is None:
        if same_value(ours.get("json"), oracle.get("json")):
            report.agreed_values += 1
            return
    elif our_err is not None:
        for kind, marker in ALLOWED_STRICTER:
            if marker in our_err:
                report.allow(kind)
                return
        # An empty flow collection as the whole document, followed by text
        # that libyaml scans and go-yaml does not (yaml_decoder.cpp,
        # "Lookahead"): Kubernetes reads [] or {}, which is no object either.
        if oracle.get("json") in ([], {}):
            report.allow("empty-root")
            return
    else:
        # After a document's root node ends (with no "..."), both parsers scan
        # on to the end of the next line; there go-yaml may fail where libyaml
        # does not (yaml_decoder.cpp, "lookahead"). Allowed when Kubernetes'
        # error is on a line after the last node kspm read.
        m = re.match(r"yaml: line (\d+):", their_err)
        if m and "last" in ours and oracle["line"] + int(m.group(1)) - 1 > ours["last"]:
            report.allow("lookahead")
            return
    report.failures.append((path, ours, oracle))


def unusual_separators(text):
    # Lines YAMLReader and the oracle split differently: "---" followed by
    # something other than blanks (and an optional comment after a blank).
    for line in text.split("\n"):
        if line.startswith("---") and not re.fullmatch(r"---([ \t]+(#.*)?)?\r?", line):
            return True
    return False


def compare_files(report, files, dump, oracle, oracle_split):
    base = [dump] + (["--oracle-split"] if oracle_split else [])
    ours_all = run_batched(base, files)
    theirs_all = run_batched([oracle, "-strict"], files)
    by_file = {}
    for r in ours_all:
        by_file.setdefault(r["file"], [[], []])[0].append(r)
    for r in theirs_all:
        by_file.setdefault(r["file"], [[], []])[1].append(r)
    for path in files:
        ours, theirs = by_file.get(path, [[], []])
        if any(r.get("mode") == "json" for r in ours):
            # kubectl reads this file with encoding/json; the oracle with
            # go-yaml. Comparable when both see exactly one document.
            if len(ours) == 1 and len(theirs) == 1 and "error" not in ours[0]:
                compare_doc(report, path, ours[0], theirs[0])
            else:
                report.skip("json-stream")
            continue
        if oracle_split:
            if len(ours) != len(theirs):
                report.failures.append((path, {"docs": len(ours)}, {"docs": len(theirs)}))
                continue
            for a, b in zip(ours, theirs):
                compare_doc(report, path, a, b)
            continue
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        if unusual_separators(text):
            report.skip("unusual-separator")
            continue
        keep = lambda rs: [r for r in rs if "error" in r or r.get("json") is not None]
        ours, theirs = keep(ours), keep(theirs)
        if len(ours) != len(theirs):
            report.failures.append((path, {"non-empty docs": len(ours)}, {"non-empty docs": len(theirs)}))
            continue
        for a, b in zip(ours, theirs):
            compare_doc(report, path, a, b)


def yaml_files(dirs):
    out = []
    for d in dirs:
        for root, _, names in os.walk(d):
            for n in sorted(names):
                if not n.endswith(".md"):
                    out.append(os.path.join(root, n))
    return sorted(out)


def long_cases(outdir):
    # Very long lines, scalars and keys: generated, not kept in the tree.
    rng = random.Random(7)
    value = "".join(rng.choice("abcdefghij ") for _ in range(200000))
    cases = {
        "long_plain.yaml": "long_plain: x" + value.replace(" ", "_") + "\n",
        "long_quoted.yaml": 'long_quoted: "' + value + '"\n',
        "long_key.yaml": "long_key_" + "k" * 2000 + ": v\n",
        "long_folded.yaml": "long_folded: >\n" + "".join(
            "  " + value[i:i + 80] + "\n" for i in range(0, 20000, 80)),
        "long_flow.yaml": "long_flow: [" + ", ".join(str(i) for i in range(20000)) + "]\n",
        "long_explicit_key.yaml": "? " + "k" * 1100 + "\n: long explicit key\n",
        "long_implicit_key.yaml": "k" * 1100 + ": long implicit key\n",
        "key_1024.yaml": "k" * 1023 + ": at the limit\n",
        "deep_flow.yaml": "[" * 900 + "]" * 900 + "\n",
        "deep_block.yaml": "".join(" " * i + "- \n" for i in range(0, 1200, 2)),
        "many_keys.yaml": "".join("key%d: %d\n" % (i, i) for i in range(30000)),
        "many_docs.yaml": "".join("---\nk: %d\n" % i for i in range(2000)),
        "aliases.yaml": "a: &a [1, 2, 3]\n" + "".join("b%d: *a\n" % i for i in range(3000)),
    }
    files = []
    for name, text in cases.items():
        path = os.path.join(outdir, name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        files.append(path)
    return files


# --- the fuzzer -------------------------------------------------------------

SCALARS = [
    "yes", "no", "on", "off", "y", "n", "Y", "N", "True", "FALSE", "~", "null", "Null", "",
    "0777", "0o17", "0x1F", "0b101", "-0b101", "1_000", "08", "09.5", "1e3", ".5", "-.inf", ".nan",
    "+.inf", "1e400", "-0", "-0.0", "9223372036854775807", "9223372036854775808",
    "18446744073709551615", "+12", "-0x10", "0x_1", "1__2", "._5", "0.", "1.2.3",
    "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-02-30", "12:30:45", "1:20",
    "'single'", "'it''s'", "\"double\"", "\"esc \\t \\u00e9 \\U0001F600\"", "\"\\x41\\/\"",
    "\"it\\'s\"", "\"\\uD800\"", "!!str 5", "!!int \"7\"", "!!int 1.5", "!!float 3", "!!bool yes",
    "!!null ~", "!!null x", "!!binary aGVsbG8=", "!!binary aGVsbG8", "!!binary /w==",
    "!!timestamp 2001-01-01", "!!timestamp 2001-13-01", "!custom value", "! 12", "!<tag:yaml.org,2002:int> 3",
    "!!map x", "!!merge x", "&a anchored", "*a", "<<", "a: b", "a:b", "a?b", "-x", "- x", "? x",
    "[a, b]", "[a:, b]", "[a?b]", "{a: 1, b: 2}", "{a: 1, a: 2}", "[!t, x]", "[!t,x]", "[]", "{}",
    "|", ">-", "|+", ">2", "|1-", "\"multi\n  line\"", "x # comment", "#", "@x", "`x", "%x",
    "\t", "a\tb", "é", "\u2028", "\u00a0", "...", "---", "'unterminated", "\"unterminated",
    "*undefined", "&b [1, *b]", "[[[[x]]]]", "{a: [b, {c: d}]}", "! <<", "!!merge <<",
]

INSERTS = list(":?#&*!|>'\"%@`,[]{}-\t ") + ["\u00e9", "\u2028", "\\", "\r", " #", ": ", "- ", "? "]

LINES = [
    "---", "--- # comment", "...", "--- ", "<<: *a", "<<: [*a, *b]", "<<: {z: 1}", "&a",
    "a: &a {x: 1, y: 2}", "b: &b {y: 3}", "c:\n  <<: [*a, *b]\n  x: 9", "dup: 1", "dup: 2",
    "? complex\n: value", "? [a, b]\n: c", "%YAML 1.1", "%YAML 1.2", "%TAG !e! tag:example.com:",
    "key: |\n  line1\n\n  line3\n", "key: >\n  folded\n  text\n\n  more\n", "k: !e!x 5",
    "- a\n- b\n-  - c", "x:\n- 1\n- 2", "\t- tab", "1: int key", "1.5: float key",
    "true: bool key", "~: null key", "'quoted': key", "0x10: hex key", "[a]: seq key",
]


def mutate(rng, text):
    lines = text.split("\n")
    for _ in range(rng.randint(1, 2)):
        if not lines:
            lines = [""]
        i = rng.randrange(len(lines))
        op = rng.randrange(9)
        line = lines[i]
        if op <= 2:  # flip a scalar after "key: " or "- "
            m = re.match(r"^(\s*(?:- )?[^:#]*:\s)(.*)$", line) or re.match(r"^(\s*- )(.*)$", line)
            if m:
                lines[i] = m.group(1) + rng.choice(SCALARS)
            else:
                lines[i] = line + " " + rng.choice(SCALARS)
        elif op == 3:  # indentation
            lines[i] = (" " + line) if rng.random() < 0.5 else line[1:]
        elif op == 4:  # a special character anywhere
            p = rng.randint(0, len(line))
            lines[i] = line[:p] + rng.choice(INSERTS) + line[p:]
        elif op == 5:  # duplicate a line (duplicate keys)
            lines.insert(i, line)
        elif op == 6:
            del lines[i]
        elif op == 7:  # a YAML construct
            indent = re.match(r"^\s*", line).group(0)
            lines.insert(i, indent + rng.choice(LINES))
        else:  # swap two lines
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def random_node(rng, depth, flow):
    r = rng.random()
    if depth > 3 or r < 0.45:
        s = rng.choice(SCALARS)
        if flow:
            s = s.replace("\n", " ")
        return s
    if flow:
        if r < 0.7:
            return "[" + ", ".join(random_node(rng, depth + 1, True) for _ in range(rng.randint(0, 3))) + "]"
        return "{" + ", ".join(
            rng.choice(["a", "b", "yes", "1", "'k'", "<<", "~", "0x1"]) + ": " + random_node(rng, depth + 1, True)
            for _ in range(rng.randint(0, 3))) + "}"
    pad = "  " * depth
    if r < 0.7:
        out = []
        for _ in range(rng.randint(1, 3)):
            child = random_node(rng, depth + 1, rng.random() < 0.3)
            out.append(pad + "- " + child.lstrip())
        return "\n" + "\n".join(out)
    out = []
    for _ in range(rng.randint(1, 4)):
        key = rng.choice(["a", "b", "c", "on", "1", "0.5", "'q'", "<<", "&k key", "*k", "n", "x"])
        child = random_node(rng, depth + 1, rng.random() < 0.3)
        out.append(pad + key + ":" + ("" if child.startswith("\n") else " ") + child)
    return "\n" + "\n".join(out)


SOUP = ["a", "b", "1", "0x1", "yes", ":", ": ", " ", "  ", "\n", "\n  ", "- ", "? ", "[", "]", "{",
        "}", ",", ", ", "'", "\"", "\\", "\\'", "\\/", "#", " #c", "&x ", "*x", "!t ", "!t", "!!str ",
        "!<!x> ", "|", "|-\n", ">", "\t", "\n...\n", "\n%YAML 1.1\n", "<<", "<<: ", "~", "?",
        "\u00e9", "\r\n", ":,", ":]", "a?b", "%", "@", "`", "-", "--", "\n- ", "\n-\t"]


def soup(rng):
    return "".join(rng.choice(SOUP) for _ in range(rng.randint(3, 30))) + "\n"


def scalar_sweep():
    # Every special scalar in each position a value or key can take.
    docs = []
    for s in SCALARS:
        one_line = s.replace("\n", " ")
        docs += ["k: " + s, "- " + s, "[" + one_line + "]", "{k: " + one_line + "}",
                 one_line + ": v", "k:\n  " + s, "? " + one_line + "\n: v", "&a " + one_line]
    return docs


WORDS = ["a", "b", "yes", "No", "on", "0x1F", "017", "1e3", ".5", "~", "null", "-1", "+1",
         "2001-01-01", "a b", "a:b", "a#b", "\u00e9", "x-y", "1_0", "0o7", "<<", "''", '"q"', "'s'",
         '"\\t"', '"\\u00e9"', '"a\\\n  b"', "'multi\n  line'"]


def structured(rng):
    # A block document with anchors, aliases, merges, tags, block scalars,
    # explicit keys and comments, mostly valid.
    anchors = []

    def scalar(ind):
        c = rng.random()
        if c < 0.1 and anchors:
            return "*" + rng.choice(anchors)
        if c < 0.2:
            head = rng.choice(["|", "|-", "|+", ">", ">-", ">+", "|2", ">1-"])
            body = "".join(" " * (ind + 2 + (rng.random() < 0.2)) +
                           rng.choice(["line", "  indented", "", "x: y", "# not a comment"]) + "\n"
                           for _ in range(rng.randint(1, 4)))
            return head + (" # c" if rng.random() < 0.2 else "") + "\n" + body.rstrip("\n")
        w = rng.choice(WORDS)
        if rng.random() < 0.1:
            w = rng.choice(["!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!t ", "! "]) + w
        if rng.random() < 0.1:
            anchors.append("a%d" % len(anchors))
            w = "&" + anchors[-1] + " " + w
        return w

    def node(ind, depth):
        c = rng.random()
        if depth > 4 or c < 0.4:
            return " " + scalar(ind)
        if c < 0.55:
            return " [" + ", ".join(scalar(ind).replace("\n", " ") for _ in range(rng.randint(0, 3))) + "]"
        if c < 0.65:
            return " {" + ", ".join("%s: %s" % (rng.choice(["k", "j", "yes", "1", "'q'"]),
                                                scalar(ind).replace("\n", " "))
                                    for _ in range(rng.randint(0, 3))) + "}"
        out = ""
        if rng.random() < 0.15:
            anchors.append("a%d" % len(anchors))
            out = " &" + anchors[-1]
        if c < 0.8:
            for _ in range(rng.randint(1, 3)):
                out += "\n" + " " * ind + "-" + node(ind + 2, depth + 1)
            return out
        for _ in range(rng.randint(1, 4)):
            k = rng.choice(["k%d" % rng.randint(0, 5), "yes", "1", "'q'", "? x", "<<", '"d"'])
            if k == "<<" and anchors and rng.random() < 0.7:
                v = " *" + rng.choice(anchors)
            else:
                v = node(ind + 2, depth + 1)
            if k.startswith("?"):
                out += "\n" + " " * ind + k + "\n" + " " * ind + ":" + v
            else:
                out += "\n" + " " * ind + k + ":" + v
            if rng.random() < 0.1:
                out += "  # comment"
        return out

    return node(0, 0).lstrip(" ").lstrip("\n") + "\n"


def fuzz_cases(seed, count, sources, outdir):
    rng = random.Random(seed)
    texts = []
    for path in sources:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError):
            continue
        if text.lstrip().startswith("{") or len(text) > 6000:
            continue
        texts.append(text)
    files = []
    sweep = scalar_sweep()
    for n in range(count + len(sweep)):
        if n >= count:
            text = sweep[n - count] + "\n"
        elif n % 10 == 4 or not texts:
            text = random_node(rng, 0, rng.random() < 0.2).lstrip("\n") + "\n"
        elif n % 10 == 9:
            text = structured(rng)
        elif n % 5 == 3:
            text = soup(rng)
        else:
            text = mutate(rng, rng.choice(texts))
        path = os.path.join(outdir, "case%05d.yaml" % n)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        files.append(path)
    return files


JSON_ATOMS = ['1', '-0', '0.5', '1e3', '1E-2', '-1.5e+10', '12345678901234567890',
              '9223372036854775807', '9223372036854775808', 'true', 'false', 'null', '"s"',
              '"\\u00e9"', '"\\ud83d\\ude00"', '"\\ud800"', '"\\ud800\\u0041"', '"\\udc00"', '"\\/"',
              '"\\b\\f\\n\\r\\t"', '"\u00e9"', '"\\u0000"', '01', '1.', '.5', '+1', '-', '"\t"',
              'tru', 'nul', '1e400', '"a\\x"', '[]', '{}', '"\\uZZZZ"', '-0.0e-0']


def json_cases(seed, count, sources, outdir):
    rng = random.Random(seed)
    bad_bytes = [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\x1f"]

    def value(depth):
        c = rng.random()
        if depth > 3 or c < 0.5:
            return rng.choice(JSON_ATOMS)
        if c < 0.75:
            return "[" + ",".join(value(depth + 1) for _ in range(rng.randint(0, 3))) + "]"
        keys = ['"a"', '"b"', '"a"', '"\u00e9"', '"\\u0061"', '""', 'a']
        return "{" + ",".join(rng.choice(keys) + ":" + value(depth + 1)
                              for _ in range(rng.randint(0, 3))) + "}"

    texts = []
    for path in sources:
        with open(path, "rb") as f:
            texts.append(f.read())
    files = []
    for n in range(count):
        if texts and n % 3 == 2:
            data = bytearray(rng.choice(texts))
            for _ in range(rng.randint(1, 3)):
                p = rng.randrange(len(data) + 1)
                data[p:p] = rng.choice([b",", b":", b"[", b"]", b"{", b"}", b'"', b" ", b"\\",
                                        b"1", b"\n"] + bad_bytes)
            data = bytes(data)
        else:
            docs = ["{" + ",".join(rng.choice(['"k"', '"m"', '"n"']) + ":" + value(1)
                                   for _ in range(rng.randint(0, 3))) + "}"
                    for _ in range(rng.randint(1, 3))]
            data = rng.choice(["", " ", "\n", "\n\n", "\t", "\r\n"]).join(docs).encode()
            if rng.random() < 0.2:
                p = rng.randrange(len(data) + 1)
                data = data[:p] + rng.choice([b",", b":", b"]", b"}", b'"', b"x", b"\\"] + bad_bytes) + data[p:]
        path = os.path.join(outdir, "json%05d.json" % n)
        with open(path, "wb") as f:
            f.write(data)
        files.append(path)
    return files


def has_duplicate_keys(path):
    # Whether any object of the JSON stream repeats a key (Python's reader).
    found = []

    def hook(pairs):
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            found.append(True)
        return dict(pairs)

    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        decoder = json.JSONDecoder(object_pairs_hook=hook)
        i = 0
        while i < len(text):
            while i < len(text) and text[i] in " \t\r\n":
                i += 1
            if i == len(text):
                break
            _, i = decoder.raw_decode(text, i)
    except ValueError:
        pass
    return bool(found)


def compare_json(report, files, dump, oracle):
    ours_all = run_batched([dump], files)
    theirs_all = run_batched([oracle], files)
    by_file = {}
    for r in ours_all:
        by_file.setdefault(r["file"], [[], []])[0].append(r)
    for r in theirs_all:
        by_file.setdefault(r["file"], [[], []])[1].append(r)
    for path in files:
        ours, theirs = by_file.get(path, [[], []])
        if not any(r.get("mode") == "json" for r in ours):
            report.skip("not-json")  # kubectl reads it as YAML
            continue
        for i in range(max(len(ours), len(theirs))):
            a = ours[i] if i < len(ours) else {"missing": True}
            b = theirs[i] if i < len(theirs) else {"missing": True}
            if "error" in a and ("duplicate key" in a["error"] or
                                 ("error" not in b and has_duplicate_keys(path))):
                report.allow("duplicate-key")  # encoding/json keeps the last value
                break
            if "error" in a and "nesting deeper than" in a["error"]:
                report.allow("limit")
                break
            if "missing" in a or "missing" in b:
                report.failures.append((path, a, b))
                break
            compare_doc(report, path, a, b)
            if "error" in a or "error" in b:
                break


def main():
    sys.setrecursionlimit(20000)
    if len(sys.argv) < 5:
        print(__doc__)
        return 2
    dump, oracle, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    report = Report()
    with tempfile.TemporaryDirectory() as tmp:
        if mode == "files":
            files = yaml_files(sys.argv[4:])
            compare_files(report, files, dump, oracle, oracle_split=False)
        elif mode == "cases":
            files = yaml_files(sys.argv[4:]) + long_cases(tmp)
            compare_files(report, files, dump, oracle, oracle_split=True)
        elif mode == "fuzz":
            seed, count = int(sys.argv[4]), int(sys.argv[5])
            sources = [f for f in yaml_files(sys.argv[6:]) if f.endswith((".yaml", ".yml"))]
            files = fuzz_cases(seed, count, sources, tmp)
            compare_files(report, files, dump, oracle, oracle_split=True)
        elif mode == "json":
            seed, count = int(sys.argv[4]), int(sys.argv[5])
            sources = [f for f in yaml_files(sys.argv[6:]) if f.endswith(".json")]
            files = sources + json_cases(seed, count, sources, tmp)
            compare_json(report, files, dump, oracle)
        elif mode == "generate":
            # Only write the fuzz inputs (for the robustness test): SEED N SRC OUTDIR.
            seed, count, src, out = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7]
            sources = [f for f in yaml_files([src]) if f.endswith((".yaml", ".yml"))]
            os.makedirs(out, exist_ok=True)
            files = fuzz_cases(seed, count, sources, out)
            print("generated %d files in %s" % (len(files), out))
            return 0
        else:
            print("unknown mode " + mode)
            return 2
        summary = "%s: %d files, %d documents compared: %d same value, %d both errors" % (
            mode, len(files), report.compared, report.agreed_values, report.agreed_errors)
        if report.allowed:
            summary += "; kspm stricter on purpose: " + ", ".join(
                "%s %d" % kv for kv in sorted(report.allowed.items()))
        if report.skipped:
            summary += "; not comparable: " + ", ".join("%s %d" % kv for kv in sorted(report.skipped.items()))
        print(summary)
        for path, ours, theirs in report.failures[:40]:
            print("\nDISAGREEMENT in %s" % path)
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    content = f.read()
                print("---- input (%d bytes) ----" % len(content))
                print(content[:3000] + ("\n[...]" if len(content) > 3000 else ""))
            except OSError:
                pass
            print("---- kspm:   " + json.dumps(ours)[:1500])
            print("---- oracle: " + json.dumps(theirs)[:1500])
        if report.failures:
            print("\n%d disagreement(s)" % len(report.failures))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
