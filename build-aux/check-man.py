#!/usr/bin/env python3
# build-aux/check-man.py
# Copyright 2026 The Tincan Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks the hand-written man pages. Run by `meson test validate-man`:
#
#   check-man.py --groff PATH --version V PAGE=SOURCE...
#
# For each PAGE: groff formats it with all warnings on (-ww) and must print nothing; its .TH line
# names the project version; and every long option that SOURCE (the C file with the
# GOptionEntry table) defines is described, so a new option cannot ship undocumented.

import argparse
import os
import re
import subprocess
import sys

# { "long-name", 'x', ... or { "long-name", 0, ... in a GOptionEntry table.
OPTION_ENTRY = re.compile(r'\{\s*"([a-z][a-z0-9-]*)",\s*(?:\'.\'|0)\s*,')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--groff", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("pages", nargs="+", metavar="PAGE=SOURCE")
    args = parser.parse_args()

    problems = []
    for spec in args.pages:
        page, source = spec.split("=", 1)
        name = os.path.basename(page)

        # -z: parse and warn, but do not write the formatted page anywhere.
        result = subprocess.run([args.groff, "-man", "-Tutf8", "-ww", "-z", page],
                                capture_output=True, text=True, timeout=60,
                                env=dict(os.environ, LC_ALL="C.UTF-8"))
        if result.returncode != 0 or result.stderr.strip():
            problems.append(f"{name}: groff -ww: exit {result.returncode}\n{result.stderr.strip()}")

        with open(page, encoding="utf-8") as f:
            text = f.read()
        th = [line for line in text.splitlines() if line.startswith(".TH ")]
        if len(th) != 1 or f'"Tincan {args.version}"' not in th[0]:
            problems.append(f"{name}: the .TH line should say \"Tincan {args.version}\" "
                            f"(update the version and date when meson.build's version changes)")

        # In roff source a dash in an option is written \-.
        described = set(re.findall(r"\\-\\-([a-z][a-z0-9\\-]*)", text))
        described = {d.replace("\\-", "-").rstrip("\\") for d in described}
        with open(source, encoding="utf-8") as f:
            options = OPTION_ENTRY.findall(f.read())
        if not options:
            problems.append(f"{name}: found no options in {source}: has the table changed shape?")
        for option in options:
            if option not in described:
                problems.append(f"{name}: --{option} (from {os.path.basename(source)}) "
                                f"is not described")

    for p in problems:
        print(p)
    if not problems:
        print(f"{len(args.pages)} man pages OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
