#!/usr/bin/env python3
"""Generates src/arch/syscall_tables.inc from shared/data/syscalls.csv, and
cross-checks that CSV against the kernel's own uapi headers.

  scripts/gen-syscalls.py                 write src/arch/syscall_tables.inc
  scripts/gen-syscalls.py --stdout        print the generated file instead
  scripts/gen-syscalls.py --check         compare the CSV with installed headers

The CSV is libseccomp's format: a name column, then per ABI a number column
and a kernel-version column; `PNR` marks a syscall absent on that ABI. Numbers
are stored without per-ABI bases (x32 bit 30, MIPS 4000/5000/6000), so this
script adds them: the generated tables hold the numbers exactly as a seccomp
filter sees them in seccomp_data.nr.

The build never runs this script; its output is committed. Python stdlib only;
--check also needs a C preprocessor (gcc/cpp) because the kernel headers
compute numbers with macros and choose them with #if.
"""

import argparse
import ast
import csv
import hashlib
import operator
import os
import re
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CSV = os.path.join(REPO, "tests", "data", "data", "syscalls.csv")  # a copy of shared/data/, see tests/data/README.md
DEFAULT_OUT = os.path.join(REPO, "src", "arch", "syscall_tables.inc")

X32_BIT = 0x40000000

# (seccage Arch enumerator, CSV column, offset added to the CSV number), in the
# order of enum class Arch in include/seccage/arch.hpp. Byte-order twins share
# a column because the kernel gives both the same numbers.
ARCHES = [
    ("x86_64", "x86_64", 0),
    ("x32", "x32", X32_BIT),
    ("i386", "x86", 0),
    ("aarch64", "aarch64", 0),
    ("arm", "arm", 0),
    ("riscv64", "riscv64", 0),
    ("ppc64le", "ppc64", 0),
    ("ppc64", "ppc64", 0),
    ("ppc", "ppc", 0),
    ("s390x", "s390x", 0),
    ("s390", "s390", 0),
    ("mips", "mips", 4000),
    ("mipsel", "mips", 4000),
    ("mips64", "mips64", 5000),
    ("mips64el", "mips64", 5000),
    ("mips64n32", "mips64n32", 6000),
    ("mipsel64n32", "mips64n32", 6000),
    ("loongarch64", "loongarch64", 0),
    ("parisc", "parisc", 0),
    ("parisc64", "parisc64", 0),
    ("m68k", "m68k", 0),
    ("sh", "sh", 0),
    ("sheb", "sh", 0),
]

EXPECTED_COLUMNS = sorted({col for _, col, _ in ARCHES})

NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*$")


def fail(msg):
    print(f"gen-syscalls: {msg}", file=sys.stderr)
    sys.exit(2)


def read_csv(path):
    """Returns (version line, {column: {name: number}}), validating as it goes."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        fail(f"{path}: empty file")
    header = rows[0]
    version = header[0].lstrip("#").strip()
    abi_cols = {}
    for i in range(1, len(header), 2):
        col = header[i]
        if i + 1 >= len(header) or header[i + 1] != col + "_kver":
            fail(f"{path}:1: column {i + 1} '{col}' is not followed by '{col}_kver'")
        abi_cols[col] = i
    missing = [c for c in EXPECTED_COLUMNS if c not in abi_cols]
    if missing:
        fail(f"{path}:1: missing ABI columns: {', '.join(missing)}")

    tables = {col: {} for col in abi_cols}
    seen = set()
    for lineno, row in enumerate(rows[1:], start=2):
        if not row or row[0].startswith("#"):
            continue
        name = row[0]
        if not NAME_RE.match(name):
            fail(f"{path}:{lineno}: bad syscall name '{name}'")
        if name in seen:
            fail(f"{path}:{lineno}: duplicate syscall '{name}'")
        seen.add(name)
        if len(row) != len(header):
            fail(f"{path}:{lineno}: {len(row)} fields, expected {len(header)}")
        for col, i in abi_cols.items():
            cell = row[i].strip()
            if cell == "PNR":
                continue
            try:
                nr = int(cell, 0)
            except ValueError:
                fail(f"{path}:{lineno}: '{name}' on {col}: '{cell}' is neither a number nor PNR")
            if nr < 0 or nr >= X32_BIT:
                fail(f"{path}:{lineno}: '{name}' on {col}: {nr} out of range")
            tables[col][name] = nr
    # Two names with one number on one ABI would make number->name ambiguous
    # and a filter rule on one silently apply to the other.
    for col, table in tables.items():
        by_nr = {}
        for name, nr in table.items():
            if nr in by_nr:
                fail(f"{path}: {col}: '{name}' and '{by_nr[nr]}' share number {nr}")
            by_nr[nr] = name
    return version, tables


def arch_tables(tables):
    """{arch: [(nr, name)] sorted by number} with the per-ABI offsets applied."""
    out = {}
    for arch, col, offset in ARCHES:
        out[arch] = sorted((nr + offset, name) for name, nr in tables[col].items())
    return out


def generate(csv_path):
    version, tables = read_csv(csv_path)
    with open(csv_path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    per_arch = arch_tables(tables)
    lines = [
        "// GENERATED FILE - DO NOT EDIT. Regenerate with scripts/gen-syscalls.py.",
        f"// Source: shared/data/syscalls.csv ({version}),",
        f"// sha256 {digest}.",
        "// Numbers are as seccomp_data.nr sees them: x32 carries bit 30 (0x40000000),",
        "// MIPS o32/n64/n32 add 4000/5000/6000. Each table is sorted by number.",
        "// Included by src/arch/arch.cpp inside namespace seccage::detail.",
        "",
    ]
    all_names = sorted({name for entries in per_arch.values() for _, name in entries})
    name_id = {name: i for i, name in enumerate(all_names)}
    # No pointers anywhere (one character blob plus offsets, numbers and name
    # ids as plain integers): a static PIE relocates every pointer of its
    # read-only data at start-up, and 10,000 string_views were 17,000
    # relocations over 80 pages on every `seccage run`.
    lines.append("// Every name of every table, sorted and unique, each ended by a NUL: a")
    lines.append("// name's position in this order is its id (find_syscall_name_id).")
    lines.append("// kNameStart[id] is where it begins; kNameStart[count] is the end.")
    lines.append("inline constexpr char kNameChars[] =")
    starts, pos = [], 0
    for name in all_names:
        lines.append(f'    "{name}\\0"')
        starts.append(pos)
        pos += len(name) + 1
    starts.append(pos)
    lines[-1] += ";"
    assert pos < 65536, "kNameStart is 16-bit"
    lines.append("inline constexpr std::uint16_t kNameStart[] = {")
    for i in range(0, len(starts), 16):
        lines.append("    " + ", ".join(str(v) for v in starts[i:i + 16]) + ",")
    lines.append("};")
    lines.append(f"inline constexpr std::size_t kNameCount = {len(all_names)};")
    lines.append("")
    for arch, col, offset in ARCHES:
        entries = per_arch[arch]
        lines.append(f"// {arch}: column '{col}', offset {offset:#x}, {len(entries)} syscalls: numbers")
        lines.append(f"// sorted, and the id of each number's name.")
        lines.append(f"inline constexpr std::uint32_t kTableNrs_{arch}[] = {{")
        nrs = [f"{nr}u" for nr, _ in entries]
        for i in range(0, len(nrs), 12):
            lines.append("    " + ", ".join(nrs[i:i + 12]) + ",")
        lines.append("};")
        lines.append(f"inline constexpr std::uint16_t kTableIds_{arch}[] = {{")
        ids = [str(name_id[name]) for _, name in entries]
        for i in range(0, len(ids), 16):
            lines.append("    " + ", ".join(ids[i:i + 16]) + ",")
        lines.append("};")
        lines.append("")
    lines.append("// Indexed by Arch, in enum order.")
    lines.append("inline constexpr std::span<const std::uint32_t> kTableNrs[] = {")
    for arch, _, _ in ARCHES:
        lines.append(f"    kTableNrs_{arch},")
    lines.append("};")
    lines.append("inline constexpr std::span<const std::uint16_t> kTableIds[] = {")
    for arch, _, _ in ARCHES:
        lines.append(f"    kTableIds_{arch},")
    lines.append("};")
    lines.append("")
    lines.append(f"inline constexpr std::size_t kTableCount = {len(ARCHES)};")
    lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# --check: the kernel's uapi headers as the independent reference.

# (CSV column, offset, candidate include dirs, defines that make <asm/unistd.h>
# select this ABI the way the target compiler would). -undef removes the host
# compiler's own predefined macros so the host architecture cannot leak in.
HEADER_SOURCES = [
    ("x86_64", 0, ["/usr/include/x86_64-linux-gnu", "/usr/x86_64-linux-gnu/include"],
     ["__x86_64__", "__LP64__"]),
    ("x32", X32_BIT, ["/usr/include/x86_64-linux-gnu", "/usr/x86_64-linux-gnux32/include",
                      "/usr/x86_64-linux-gnu/include"],
     ["__x86_64__", "__ILP32__"]),
    ("x86", 0, ["/usr/include/x86_64-linux-gnu", "/usr/i686-linux-gnu/include",
                "/usr/include/i386-linux-gnu"],
     ["__i386__"]),
    ("aarch64", 0, ["/usr/aarch64-linux-gnu/include", "/usr/include/aarch64-linux-gnu"],
     ["__aarch64__", "__LP64__", "__SIZEOF_POINTER__=8"]),
    ("arm", 0, ["/usr/arm-linux-gnueabihf/include", "/usr/arm-linux-gnueabi/include",
                "/usr/include/arm-linux-gnueabihf"],
     ["__arm__", "__ARM_EABI__", "__SIZEOF_POINTER__=4"]),
    ("riscv64", 0, ["/usr/riscv64-linux-gnu/include", "/usr/include/riscv64-linux-gnu"],
     ["__riscv", "__LP64__", "__SIZEOF_POINTER__=8", "__riscv_xlen=64"]),
    ("ppc64", 0, ["/usr/powerpc64le-linux-gnu/include", "/usr/powerpc64-linux-gnu/include",
                  "/usr/include/powerpc64le-linux-gnu"],
     ["__powerpc__", "__powerpc64__", "__LP64__"]),
    ("ppc", 0, ["/usr/powerpc-linux-gnu/include", "/usr/powerpc64le-linux-gnu/include"],
     ["__powerpc__"]),
    ("s390x", 0, ["/usr/s390x-linux-gnu/include", "/usr/include/s390x-linux-gnu"],
     ["__s390__", "__s390x__", "__LP64__"]),
    ("s390", 0, ["/usr/s390x-linux-gnu/include"], ["__s390__"]),
    ("mips", 4000, ["/usr/mips64el-linux-gnuabi64/include", "/usr/mipsel-linux-gnu/include",
                    "/usr/mips-linux-gnu/include"],
     ["__mips__", "_MIPS_SIM=1"]),
    ("mips64", 5000, ["/usr/mips64el-linux-gnuabi64/include", "/usr/mips64-linux-gnuabi64/include"],
     ["__mips__", "_MIPS_SIM=3", "__LP64__"]),
    ("mips64n32", 6000, ["/usr/mips64el-linux-gnuabin32/include", "/usr/mips64el-linux-gnuabi64/include"],
     ["__mips__", "_MIPS_SIM=2"]),
    ("loongarch64", 0, ["/usr/loongarch64-linux-gnu/include"],
     ["__loongarch__", "__LP64__", "__SIZEOF_POINTER__=8", "__loongarch_grlen=64"]),
    ("parisc", 0, ["/usr/hppa-linux-gnu/include"], ["__hppa__"]),
    ("parisc64", 0, ["/usr/hppa-linux-gnu/include", "/usr/hppa64-linux-gnu/include"],
     ["__hppa__", "__LP64__"]),
    ("m68k", 0, ["/usr/m68k-linux-gnu/include"], ["__m68k__"]),
    ("sh", 0, ["/usr/sh4-linux-gnu/include"], ["__sh__"]),
]

# Macros named like syscalls that are bases, counts or markers, not syscalls.
NOT_SYSCALLS = {
    "Linux", "Linux_syscalls", "syscalls", "arch_specific_syscall", "SYSCALL_BASE",
    "O32_Linux", "O32_Linux_syscalls", "N32_Linux", "N32_Linux_syscalls",
    "64_Linux", "64_Linux_syscalls", "BASE", "SYSCALL_MASK", "OABI_SYSCALL_BASE",
}
# MIPS keeps numbered placeholders for retired slots (__NR_unused18, __NR_reserved82).
PLACEHOLDER_RE = re.compile(r"^(unused|reserved)\d+$")

_OPS = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.BitOr: operator.or_,
    ast.BitAnd: operator.and_, ast.LShift: operator.lshift, ast.RShift: operator.rshift,
    ast.Mult: operator.mul,
}


def eval_c_int(expr):
    """Evaluates the integer constant expressions the unistd headers use
    (`(4000 + 5)`, `(0x0f0000+1)`, `(0x40000000 + 0)`), refusing anything else."""
    expr = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]+\b", r"\1", expr.strip())
    tree = ast.parse(expr, mode="eval")

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        raise ValueError(f"not an integer constant expression: {expr}")

    return ev(tree)


def find_cc():
    for cc in (os.environ.get("CC"), "gcc", "cc", "clang"):
        if cc and shutil.which(cc):
            return cc
    return None


def header_numbers(cc, incdir, defines):
    """{name: number} as <asm/unistd.h> defines them for one ABI."""
    base = [cc, "-E", "-P", "-undef", "-nostdinc", "-x", "c", "-I", incdir]
    # The generic asm-generic headers may live beside the arch ones or in /usr/include.
    if not os.path.isdir(os.path.join(incdir, "asm-generic")):
        base += ["-I", "/usr/include"]
    base += ["-D" + d for d in defines]
    src = "#include <asm/unistd.h>\n"
    macros = subprocess.run(base + ["-dM", "-"], input=src, capture_output=True, text=True, check=True).stdout
    names = []
    for line in macros.splitlines():
        m = re.match(r"#define (__NR_|__ARM_NR_)(\w+)\s", line + " ")
        if m and m.group(2) not in NOT_SYSCALLS and not PLACEHOLDER_RE.match(m.group(2)):
            names.append((m.group(1) + m.group(2), m.group(2)))
    probe = src + "".join(f'"{short}" = {macro}\n' for macro, short in names)
    out = subprocess.run(base + ["-"], input=probe, capture_output=True, text=True, check=True).stdout
    numbers = {}
    for line in out.splitlines():
        m = re.match(r'^"(\w+)" = (.*)$', line)
        if not m:
            continue
        try:
            numbers[m.group(1)] = eval_c_int(m.group(2))
        except (ValueError, SyntaxError):
            pass  # a macro that expands to something other than a number
    return numbers


def header_version(incdir):
    """'6.1' from linux/version.h beside the asm headers (or, for the host's
    multiarch dir, in /usr/include), or '?'."""
    for path in (os.path.join(incdir, "linux", "version.h"), "/usr/include/linux/version.h"):
        try:
            with open(path) as f:
                m = re.search(r"LINUX_VERSION_CODE\s+(\d+)", f.read())
        except OSError:
            continue
        if m:
            code = int(m.group(1))
            return f"{code >> 16}.{(code >> 8) & 0xff}"
    return "?"


def check(csv_path):
    """Compares every ABI's CSV numbers with its installed uapi headers.

    Fails (exit 1) on what the headers can refute: a number that differs, or a
    syscall the headers define and the CSV lacks. A CSV syscall missing from
    the headers cannot be refuted by older headers, so it is only reported:
    as newer than the headers when it is above their highest number or absent
    from every ABI's headers, otherwise as a later addition into a free slot.
    """
    _, tables = read_csv(csv_path)
    cc = find_cc()
    if cc is None:
        print("no C preprocessor (gcc/cc/clang) found; cannot read the kernel headers")
        return 2
    found = []
    failures = 0
    for col, offset, dirs, defines in HEADER_SOURCES:
        incdir = next((d for d in dirs if os.path.isfile(os.path.join(d, "asm", "unistd.h"))), None)
        if incdir is None:
            print(f"{col:12} skipped: no headers installed (looked in {', '.join(dirs)})")
            continue
        try:
            hdr = header_numbers(cc, incdir, defines)
        except subprocess.CalledProcessError as e:
            print(f"{col:12} error: preprocessing {incdir}/asm/unistd.h failed:\n{e.stderr}")
            failures += 1
            continue
        if not hdr:
            print(f"{col:12} error: no __NR_ macros found in {incdir}/asm/unistd.h")
            failures += 1
            continue
        found.append((col, offset, incdir, hdr))
    names_in_any_header = set().union(*(h.keys() for *_, h in found)) if found else set()

    for col, offset, incdir, hdr in found:
        ours = {name: nr + offset for name, nr in tables[col].items()}
        # The highest number of the ABI's main range; ARM's private 0xf0000
        # calls and x32's 512+ compat calls would otherwise hide new syscalls.
        main_max = max(n for n in hdr.values() if (n - offset) < 512)
        mismatched = sorted(n for n in ours.keys() & hdr.keys() if ours[n] != hdr[n])
        only_hdr = sorted(hdr.keys() - ours.keys())
        # A second name for a number the CSV knows under another name (ARM's
        # sync_file_range2 is arm_sync_file_range) is an alias, not a gap.
        by_nr = {nr: name for name, nr in ours.items()}
        aliases = [n for n in only_hdr if hdr[n] in by_nr and by_nr[hdr[n]] in hdr
                   and hdr[by_nr[hdr[n]]] == hdr[n]]
        missing = [n for n in only_hdr if n not in aliases]
        only_csv = sorted(ours.keys() - hdr.keys(), key=lambda n: ours[n])
        newer = [n for n in only_csv if ours[n] > main_max or n not in names_in_any_header]
        later = [n for n in only_csv if n not in newer]
        same = len(ours.keys() & hdr.keys()) - len(mismatched)
        status = "DIFFERENT" if (mismatched or missing) else "ok"
        print(f"{col:12} {status}: {same} numbers agree with {incdir}/asm/unistd.h "
              f"(Linux {header_version(incdir)}, offset {offset:#x})")
        for n in mismatched:
            print(f"    number differs: {n}: csv {ours[n]:#x} ({ours[n]}), header {hdr[n]:#x} ({hdr[n]})")
        for n in missing:
            print(f"    in the header but not in the csv: {n} = {hdr[n]}")
        for n in aliases:
            print(f"    header alias: {n} = {hdr[n]} (the csv calls it {by_nr[hdr[n]]})")
        if later:
            print("    in the csv only, inside the header's range (added to this ABI later?): "
                  + ", ".join(f"{n}={ours[n]}" for n in later))
        if newer:
            print(f"    in the csv only, newer than the headers ({len(newer)}): "
                  + ", ".join(f"{n}={ours[n]}" for n in newer))
        failures += len(mismatched) + len(missing)
    print(f"checked {len(found)} ABIs against kernel headers; "
          f"{failures} difference(s) the headers contradict")
    return 1 if failures else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--csv", default=DEFAULT_CSV, help="syscalls.csv (default: %(default)s)")
    ap.add_argument("--out", default=DEFAULT_OUT, help="generated file (default: %(default)s)")
    ap.add_argument("--stdout", action="store_true", help="print the generated file instead of writing it")
    ap.add_argument("--check", action="store_true", help="cross-check the CSV against kernel headers")
    args = ap.parse_args()
    if args.check:
        sys.exit(check(args.csv))
    text = generate(args.csv)
    if args.stdout:
        sys.stdout.write(text)
        return
    with open(args.out, "w") as f:
        f.write(text)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
