#!/usr/bin/env python3
# tests/check-install.py
# Copyright 2026 The Tincan Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs the build into a temporary DESTDIR and checks that every file lands where the
# freedesktop specifications (desktop entry, AppStream, icon theme, D-Bus, GSettings) and
# man(1) look for it, named after the configured app ID, and that the files name each other
# correctly. Run by `meson test install-layout`:
#
#   check-install.py --build-dir DIR --source-root DIR --prefix P --app-id ID --version V
#                    [--bindir B --datadir D --mandir M --localedir L] -- MESON...
#
# MESON is the meson command, which may be more than one word (python3 meson.py).
#
# Prints one line per problem and exits 1 if there was any. Standard library only.

import argparse
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

# Written by gnome.post_install() on a real install. It skips them under DESTDIR, but a
# distribution's packaging may not, so they are allowed, never required.
CACHES = {"gschemas.compiled", "icon-theme.cache", "mimeinfo.cache"}


class Checker:
    def __init__(self, args):
        self.args = args
        self.problems = []
        self.expected = set()  # every file that should be installed, absolute

    def path(self, option, *parts):
        # A directory option may be relative to the prefix or absolute; either way it is
        # installed below DESTDIR.
        base = os.path.join(self.args.prefix, option)
        return os.path.join(self.args.destdir, base.lstrip(os.sep), *parts)

    def problem(self, message):
        self.problems.append(message)

    def shown(self, path):
        return os.path.relpath(path, self.args.destdir)

    def expect(self, path, executable=False):
        """Records @path as expected; returns whether it is a regular file (and executable)."""
        self.expected.add(path)
        if not os.path.isfile(path) or os.path.islink(path):
            self.problem(f"missing: {self.shown(path)}")
            return False
        if executable and not os.stat(path).st_mode & stat.S_IXUSR:
            self.problem(f"not executable: {self.shown(path)}")
            return False
        return True

    def parse_xml(self, path):
        try:
            return ET.parse(path).getroot()
        except ET.ParseError as e:
            self.problem(f"{self.shown(path)}: not well-formed XML: {e}")
            return None


def read_desktop_entry(path):
    """The [Desktop Entry] group of a desktop file as a dict (untranslated keys only)."""
    entry = {}
    group = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                group = line
                continue
            if group == "[Desktop Entry]" and "=" in line:
                key, value = line.split("=", 1)
                entry.setdefault(key.strip(), value.strip())
    return entry


def read_linguas(path):
    """The language codes in po/LINGUAS: whitespace-separated, # starts a comment."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        return []
    return [word for line in text.splitlines() for word in line.split("#", 1)[0].split()]


def check(c):
    a = c.args
    app_id = a.app_id

    # Programs.
    binaries = ["tincan", "tincan-echo"]
    for name in binaries:
        c.expect(c.path(a.bindir, name), executable=True)
    echo = c.path(a.bindir, "tincan-echo")
    if os.path.isfile(echo):
        # The installed copy runs (tincan itself needs a display, so it is not run here).
        result = subprocess.run([echo, "--version"], capture_output=True, text=True, timeout=30)
        if result.returncode != 0 or not result.stdout.startswith(f"tincan-echo {a.version}"):
            c.problem(f"installed tincan-echo --version: exit {result.returncode}, "
                      f"printed {result.stdout.strip()!r}")

    # Desktop entry: $XDG_DATA_DIRS/applications/APP_ID.desktop.
    desktop = c.path(a.datadir, "applications", app_id + ".desktop")
    entry = {}
    if c.expect(desktop):
        entry = read_desktop_entry(desktop)
        if entry.get("Icon") != app_id:
            c.problem(f"{c.shown(desktop)}: Icon={entry.get('Icon')}, expected {app_id}")
        program = entry.get("Exec", "").split(" ")[0]
        if program not in binaries:
            c.problem(f"{c.shown(desktop)}: Exec runs {program!r}, which is not installed")

    # D-Bus activation: $XDG_DATA_DIRS/dbus-1/services/APP_ID.service, present exactly when the
    # desktop entry asks for it; the bus starts the installed binary by its full path.
    service = c.path(a.datadir, "dbus-1", "services", app_id + ".service")
    if entry.get("DBusActivatable") == "true":
        if c.expect(service):
            with open(service, encoding="utf-8") as f:
                text = f.read()
            installed_bin = os.path.join(a.prefix, a.bindir, "tincan")
            if not re.search(rf"^Name={re.escape(app_id)}$", text, re.M):
                c.problem(f"{c.shown(service)}: Name= is not {app_id}")
            if not re.search(rf"^Exec={re.escape(installed_bin)} --gapplication-service$",
                             text, re.M):
                c.problem(f"{c.shown(service)}: Exec= is not "
                          f"'{installed_bin} --gapplication-service'")
    elif os.path.exists(service):
        c.problem(f"{c.shown(service)} is installed, but the desktop entry is not "
                  f"DBusActivatable=true")

    # AppStream: $XDG_DATA_DIRS/metainfo/APP_ID.metainfo.xml, whose launchable names the
    # installed desktop entry and whose <binary> entries are installed.
    metainfo = c.path(a.datadir, "metainfo", app_id + ".metainfo.xml")
    domain = "tincan"
    if c.expect(metainfo):
        root = c.parse_xml(metainfo)
        if root is not None:
            if root.findtext("id") != app_id:
                c.problem(f"{c.shown(metainfo)}: <id> is {root.findtext('id')!r}")
            launchables = [l.text for l in root.findall("launchable")
                           if l.get("type") == "desktop-id"]
            if launchables != [app_id + ".desktop"]:
                c.problem(f"{c.shown(metainfo)}: <launchable type=\"desktop-id\"> is "
                          f"{launchables}, expected ['{app_id}.desktop']")
            for binary in root.findall("provides/binary"):
                if binary.text not in binaries:
                    c.problem(f"{c.shown(metainfo)}: provides binary {binary.text!r}, "
                              f"which is not installed")
            translation = root.find("translation[@type='gettext']")
            if translation is not None:
                domain = translation.text

    # Icons: the hicolor theme, full-colour scalable and symbolic.
    for size, name in (("scalable", app_id + ".svg"), ("symbolic", app_id + "-symbolic.svg")):
        icon = c.path(a.datadir, "icons", "hicolor", size, "apps", name)
        if c.expect(icon):
            root = c.parse_xml(icon)
            if root is not None and root.tag not in ("svg", "{http://www.w3.org/2000/svg}svg"):
                c.problem(f"{c.shown(icon)}: not an SVG document")

    # GSettings: $XDG_DATA_DIRS/glib-2.0/schemas/APP_ID.gschema.xml with schema id APP_ID.
    schema = c.path(a.datadir, "glib-2.0", "schemas", app_id + ".gschema.xml")
    if c.expect(schema):
        root = c.parse_xml(schema)
        if root is not None:
            ids = [s.get("id") for s in root.findall("schema")]
            if app_id not in ids:
                c.problem(f"{c.shown(schema)}: no <schema id=\"{app_id}\"> (found {ids})")

    # Man pages, section 1. meson's install_man does not compress; a packager might.
    for page in ("tincan.1", "tincan-echo.1"):
        plain = c.path(a.mandir, "man1", page)
        if os.path.isfile(plain + ".gz"):
            c.expect(plain + ".gz")
        else:
            c.expect(plain)

    # Translations: one catalogue per language in po/LINGUAS, in the domain the metainfo
    # announces (which is GETTEXT_PACKAGE).
    for lang in read_linguas(os.path.join(a.source_root, "po", "LINGUAS")):
        mo = c.path(a.localedir, lang, "LC_MESSAGES", domain + ".mo")
        if c.expect(mo):
            with open(mo, "rb") as f:
                magic = f.read(4)
            if magic not in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde"):
                c.problem(f"{c.shown(mo)}: not a gettext catalogue")

    # Nothing else: a stray file (a static library, a test, a header) is a packaging bug.
    # A new kind of installed file needs a line above saying where it belongs.
    for dirpath, _dirnames, filenames in os.walk(a.destdir):
        for name in filenames:
            path = os.path.join(dirpath, name)
            if path not in c.expected and name not in CACHES:
                c.problem(f"unexpected file installed: {c.shown(path)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--source-root", required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--app-id", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--bindir", default="bin")
    parser.add_argument("--datadir", default="share")
    parser.add_argument("--mandir", default="share/man")
    parser.add_argument("--localedir", default="share/locale")
    parser.add_argument("meson", nargs="+", help="the meson command, after --")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="tincan-install-")
    try:
        args.destdir = os.path.join(tmp, "destdir")
        # --no-rebuild: meson test has built everything already, and a rebuild from inside
        # a test would race the other tests. --quiet: the file list is noise unless it fails.
        result = subprocess.run(args.meson + [
                                    "install", "-C", args.build_dir, "--no-rebuild",
                                    "--quiet", "--destdir", args.destdir],
                                capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            print(f"meson install failed (exit {result.returncode}):\n"
                  f"{result.stdout}{result.stderr}")
            return 1

        checker = Checker(args)
        check(checker)
        for p in checker.problems:
            print(p)
        if not checker.problems:
            print(f"{len(checker.expected)} installed files where they belong "
                  f"(prefix {args.prefix}, app ID {args.app_id})")
        return 1 if checker.problems else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
