#!/usr/bin/env python3
# check-potfiles.py
#
# Copyright 2026 The Tincan Authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check po/POTFILES.in against the source tree.

Usage: check-potfiles.py [SOURCE_ROOT]

Fails (exit status 1) when
  - a file under src/ (*.c, *.h, *.ui) or data/ (*.in) has translatable strings
    but is not listed in po/POTFILES.in; desktop entries, AppStream metainfo and
    GSettings schemas under data/ always count as having them;
  - po/POTFILES.in lists a file that does not exist, or lists one twice.

Files named in po/POTFILES.skip, if there is one, are exempt from the first rule.
Only the Python 3 standard library is used.
"""

import pathlib
import re
import sys

# Keywords of meson's 'glib' gettext preset plus xgettext's default C keywords.
C_KEYWORDS = (
    '_', 'N_', 'C_', 'NC_', 'Q_',
    'gettext', 'dgettext', 'dcgettext', 'ngettext', 'dngettext', 'dcngettext',
    'pgettext', 'dpgettext', 'npgettext',
    'g_dgettext', 'g_dcgettext', 'g_dngettext', 'g_dpgettext', 'g_dpgettext2',
)
C_MARKER = re.compile(r'(?<![A-Za-z0-9_])(?:%s)\s*\(' % '|'.join(C_KEYWORDS))

# A comment, or a string or character literal, so that markers are only looked for in code.
C_NOISE = re.compile(r'''
    //[^\n]*                    # line comment
  | /\*.*?\*/                   # block comment
  | "(?:\\.|[^"\\\n])*"         # string literal
  | '(?:\\.|[^'\\\n])*'         # character literal
''', re.DOTALL | re.VERBOSE)

# GtkBuilder accepts any of these as true; xgettext's rules only extract "yes", but a file
# that asks for translation belongs in the list either way.
XML_MARKER = re.compile(r'''\btranslatable\s*=\s*["'](?:yes|true|t|y|1)["']''', re.IGNORECASE)
XML_COMMENT = re.compile(r'<!--.*?-->', re.DOTALL)

# These formats are translatable by nature: xgettext extracts their Name, summary,
# description and so on without any marker.
ALWAYS_TRANSLATABLE = re.compile(
    r'\.(?:desktop|metainfo\.xml|appdata\.xml|gschema\.xml)(?:\.in)+$')


def strip_c_noise(text):
    """Blanks out comments and empties literals, keeping code such as `_ ("")`."""
    def repl(match):
        token = match.group(0)
        if token.startswith('"'):
            return '""'
        if token.startswith("'"):
            return "''"
        return ' '
    return C_NOISE.sub(repl, text)


def has_translatable_strings(path):
    """Whether xgettext would (or should) extract strings from the file at path."""
    name = path.name
    if ALWAYS_TRANSLATABLE.search(name):
        return True
    text = path.read_text(encoding='utf-8', errors='replace')
    if name.endswith(('.c', '.h')):
        return C_MARKER.search(strip_c_noise(text)) is not None
    if name.endswith('.ui'):
        return XML_MARKER.search(XML_COMMENT.sub('', text)) is not None
    # Other templates (*.in): XML ones mark strings with an attribute, C-like ones with _().
    return (XML_MARKER.search(XML_COMMENT.sub('', text)) is not None
            or C_MARKER.search(strip_c_noise(text)) is not None)


def candidates(root):
    """The files whose strings should reach the translators, as paths relative to root."""
    patterns = {
        'src': ('*.c', '*.h', '*.ui'),
        'data': ('*.in',),
    }
    for top, globs in patterns.items():
        for pattern in globs:
            for path in sorted((root / top).rglob(pattern)):
                if path.is_file():
                    yield path.relative_to(root)


def read_list(path):
    """The entries of a POTFILES-style list: (line number, path), comments skipped."""
    entries = []
    if not path.exists():
        return entries
    for number, line in enumerate(path.read_text(encoding='utf-8').splitlines(), 1):
        line = line.strip()
        # '[encoding: UTF-8]' lines are an intltool leftover; xgettext does not read them.
        if not line or line.startswith('#') or line.startswith('['):
            continue
        entries.append((number, line))
    return entries


def main(argv):
    root = pathlib.Path(argv[1] if len(argv) > 1 else '.').resolve()
    potfiles_in = root / 'po' / 'POTFILES.in'
    if not potfiles_in.exists():
        print(f'{potfiles_in}: not found', file=sys.stderr)
        return 1

    problems = []
    listed = set()
    for number, entry in read_list(potfiles_in):
        where = f'po/POTFILES.in:{number}'
        key = pathlib.PurePosixPath(entry).as_posix()
        if key in listed:
            problems.append(f'{where}: {entry} is listed twice')
        listed.add(key)
        if not (root / key).is_file():
            problems.append(f'{where}: {entry} does not exist')

    skipped = {pathlib.PurePosixPath(e).as_posix()
               for _, e in read_list(root / 'po' / 'POTFILES.skip')}

    checked = 0
    for relative in candidates(root):
        checked += 1
        name = relative.as_posix()
        if name in listed or name in skipped:
            continue
        if has_translatable_strings(root / relative):
            problems.append(f'po/POTFILES.in: {name} has translatable strings but is not listed')

    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f'{len(problems)} problem(s) with po/POTFILES.in', file=sys.stderr)
        return 1
    print(f'po/POTFILES.in: {len(listed)} files listed, {checked} files under src/ and data/ '
          'checked, all good')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
