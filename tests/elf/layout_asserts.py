#!/usr/bin/env python3
"""Reads a `rawbpf btf dump` raw listing on stdin and prints C _Static_asserts
that every uniquely named struct/union has BTF's size and member offsets.
Compiled together with `rawbpf btf dump ... format c`, it proves the C
declarations reproduce the layout (padding, packing) exactly."""
import re
import sys

head = re.compile(r"^\[(\d+)\] (STRUCT|UNION|ENUM|ENUM64|TYPEDEF|FWD) '([^']*)' ?(.*)$")
member = re.compile(r"^\t'([^']*)' type_id=\d+ bits_offset=(\d+)( bitfield_size=\d+)?$")

types, names, cur = [], {}, None
for line in sys.stdin:
    line = line.rstrip("\n")
    m = head.match(line)
    if m:
        kind, name, rest = m.group(2), m.group(3), m.group(4)
        if kind in ("STRUCT", "UNION", "ENUM", "ENUM64"):
            names[name] = names.get(name, 0) + 1
        cur = None
        if kind in ("STRUCT", "UNION") and name != "(anon)":
            size = int(re.search(r"size=(\d+)", rest).group(1))
            cur = {"kind": kind.lower(), "name": name, "size": size, "members": []}
            types.append(cur)
        continue
    if line.startswith("[") or cur is None:
        cur = None if line.startswith("[") else cur
        continue
    m = member.match(line)
    if m and m.group(1) != "(anon)" and not m.group(3):
        cur["members"].append((m.group(1), int(m.group(2))))

count = 0
for t in types:
    if names.get(t["name"], 0) != 1:
        continue
    c = "%s %s" % (t["kind"], t["name"])
    print('_Static_assert(sizeof(%s) == %d, "sizeof %s");' % (c, t["size"], t["name"]))
    seen = set()
    for mname, bits in t["members"]:
        if mname in seen or bits % 8:
            continue
        seen.add(mname)
        print('_Static_assert(__builtin_offsetof(%s, %s) == %d, "%s.%s");' % (c, mname, bits // 8, t["name"], mname))
        count += 1
    count += 1
print("/* %d assertions */" % count)
