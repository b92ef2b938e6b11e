#!/usr/bin/env python3
"""Generates src/policy/syscall_groups.inc from shared/data/systemd-syscall-groups.json.

  scripts/gen-groups.py            write src/policy/syscall_groups.inc
  scripts/gen-groups.py --stdout   print the generated file instead

The JSON lists systemd's syscall filter sets (@system-service, @privileged,
...) with their literal members in source order; entries starting with '@'
are nested groups. The generated table keeps members as written (nested
groups included) so `seccage groups` can show the structure; expansion is done
in C++ (src/policy/groups.cpp). The build never runs this script; its output
is committed and a test checks that it is current. Python stdlib only.
"""

import argparse
import hashlib
import json
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_JSON = os.path.join(REPO, "tests", "data", "data", "systemd-syscall-groups.json")  # a copy of shared/data/, see tests/data/README.md
DEFAULT_OUT = os.path.join(REPO, "src", "policy", "syscall_groups.inc")


def members_of(group):
    # @known's literal list is systemd's syscall-list.txt, which the data file
    # stands in for with a placeholder; its expansion is given, so the
    # members are @obsolete plus every expanded name @obsolete does not hold.
    lits = group["members"]
    if any(m.startswith("<") for m in lits):
        return None
    return list(lits)


def generate(data, digest):
    groups = {g["name"]: g for g in data["groups"]}
    out = []
    out.append("// GENERATED FILE - DO NOT EDIT. Regenerate with scripts/gen-groups.py.")
    out.append("// Source: shared/data/systemd-syscall-groups.json, sha256 %s." % digest)
    out.append("// " + data["source"].replace("\n", " "))
    out.append("// Members as systemd writes them, '@' entries being nested groups.")
    out.append("// Included by src/policy/groups.cpp inside namespace seccage::detail.")
    out.append("")
    for g in data["groups"]:
        members = members_of(g)
        if members is None:
            nested = [m for m in g["nested_groups"]]
            covered = set()
            for n in nested:
                covered.update(groups[n]["expanded_members"])
            members = nested + sorted(m for m in g["expanded_members"] if m not in covered)
        ident = "kMembers_" + g["name"][1:].replace("-", "_")
        out.append("inline constexpr std::string_view %s[] = {" % ident)
        for m in members:
            out.append('    "%s",' % m)
        out.append("};")
    out.append("")
    out.append("inline constexpr GroupRow kGroupRows[] = {")
    for g in data["groups"]:
        ident = "kMembers_" + g["name"][1:].replace("-", "_")
        desc = g["description"].replace("\\", "\\\\").replace('"', '\\"')
        out.append('    {"%s", "%s", %s},' % (g["name"], desc, ident))
    out.append("};")
    return "\n".join(out) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--json", default=DEFAULT_JSON)
    p.add_argument("--out", default=DEFAULT_OUT)
    p.add_argument("--stdout", action="store_true")
    a = p.parse_args()
    raw = open(a.json, "rb").read()
    text = generate(json.loads(raw), hashlib.sha256(raw).hexdigest())
    if a.stdout:
        sys.stdout.write(text)
    else:
        with open(a.out, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
