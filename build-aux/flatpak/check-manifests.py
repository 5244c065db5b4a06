#!/usr/bin/env python3
# build-aux/flatpak/check-manifests.py
# Copyright 2026 The Tincan Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks the Flatpak manifests against the meson project without building them (a build needs
# the GNOME runtime, hundreds of megabytes, and the network). Run by `meson test validate-flatpak`:
#
#   check-manifests.py --source-root DIR --base-id ID --app-id ID --profile P --version V
#                      --command NAME [--flatpak-builder PATH] MANIFEST...
#
# Prints one line per problem and exits 1 if there was any.

import argparse
import json
import os
import subprocess
import tempfile
import sys

# The sandbox holes, exactly. docs/flatpak.md says why each one is there; anything more (above
# all a --filesystem) needs a reason written there first.
FINISH_ARGS = [
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
]
RUNTIME = "org.gnome.Platform"
SDK = "org.gnome.Sdk"
DEVEL_SUFFIX = ".Devel"

problems = []


def problem(manifest, message):
    problems.append(f"{os.path.basename(manifest)}: {message}")


def profile_of(module):
    """The -Dprofile= a meson module configures, 'default' when it sets none."""
    profile = "default"
    for opt in module.get("config-opts", []):
        if opt.startswith("-Dprofile="):
            profile = opt.split("=", 1)[1]
    return profile


def check_source(path, app_module, profile, args):
    sources = app_module.get("sources", [])
    if len(sources) != 1:
        problem(path, f"the module '{app_module.get('name')}' should have exactly one source, "
                      f"the Tincan tree; it has {len(sources)}")
        return
    source = sources[0]
    kind = source.get("type")
    if kind == "dir":
        # Relative to the manifest, as flatpak-builder resolves it.
        where = os.path.join(os.path.dirname(os.path.abspath(path)), source.get("path", ""))
        if not os.path.isdir(where) or not os.path.samefile(where, args.source_root):
            problem(path, f"the dir source '{source.get('path')}' is not the source root")
    elif kind == "git":
        if profile == "development":
            problem(path, "the development manifest should build the local checkout "
                          "(a 'dir' source), not a git tag")
        if not source.get("url", "").startswith("https://"):
            problem(path, "the git source needs an https:// url")
        tag = source.get("tag")
        if tag != "v" + args.version:
            problem(path, f"the git tag is {tag!r} but meson.build says version "
                          f"{args.version}: expected 'v{args.version}'")
    else:
        problem(path, f"unexpected source type {kind!r} for the Tincan module")


def check_manifest(path, args):
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        problem(path, f"not valid JSON: {e}")
        return None

    if not isinstance(manifest, dict):
        problem(path, "the top level is not an object")
        return None

    # flatpak-builder takes "id" or the older "app-id"; give exactly one.
    ids = [manifest[k] for k in ("id", "app-id") if k in manifest]
    if len(ids) != 1:
        problem(path, "give the app ID once, as \"id\"")
        return manifest
    app_id = ids[0]

    modules = manifest.get("modules", [])
    meson_modules = [m for m in modules if isinstance(m, dict) and m.get("buildsystem") == "meson"]
    if not meson_modules:
        problem(path, "no module with \"buildsystem\": \"meson\"")
        return manifest
    # The app is the last module: flatpak-builder builds them in order, dependencies first.
    app_module = modules[-1]
    if app_module not in meson_modules:
        problem(path, "the last module (the app) is not the meson one")
        return manifest

    profile = profile_of(app_module)
    if profile not in ("default", "development"):
        problem(path, f"unknown -Dprofile={profile} (see meson_options.txt)")
    expected_id = args.base_id + (DEVEL_SUFFIX if profile == "development" else "")
    if app_id != expected_id:
        problem(path, f"id is {app_id!r}, but -Dprofile={profile} installs {expected_id!r}")
    # The manifest for the profile this build was configured with must name exactly the meson
    # app_id, which also checks the ".Devel" rule above against the top meson.build.
    if profile == args.profile and app_id != args.app_id:
        problem(path, f"id is {app_id!r}, but meson's app_id for -Dprofile={profile} "
                      f"is {args.app_id!r}")
    if os.path.basename(path) != app_id + ".json":
        problem(path, f"the file should be named {app_id}.json, after its app ID")

    if manifest.get("runtime") != RUNTIME:
        problem(path, f"runtime should be {RUNTIME}")
    if manifest.get("sdk") != SDK:
        problem(path, f"sdk should be {SDK}")
    if not isinstance(manifest.get("runtime-version"), str):
        problem(path, "runtime-version should be a string such as \"51\"")
    if manifest.get("command") != args.command:
        problem(path, f"command is {manifest.get('command')!r}, the installed binary is "
                      f"{args.command!r}")

    finish_args = manifest.get("finish-args")
    if finish_args != FINISH_ARGS:
        if isinstance(finish_args, list) and sorted(finish_args) == sorted(FINISH_ARGS):
            pass  # the same set in another order is fine
        else:
            extra = sorted(set(finish_args or []) - set(FINISH_ARGS))
            missing = sorted(set(FINISH_ARGS) - set(finish_args or []))
            problem(path, f"finish-args differ from the agreed set: extra {extra}, "
                          f"missing {missing}")

    check_source(path, app_module, profile, args)
    return manifest


def contained(wanted, got):
    """Whether every key and value of @wanted is also in @got (recursively)."""
    if isinstance(wanted, dict):
        return isinstance(got, dict) and all(k in got and contained(v, got[k])
                                             for k, v in wanted.items())
    if isinstance(wanted, list):
        return (isinstance(got, list) and len(wanted) == len(got)
                and all(contained(w, g) for w, g in zip(wanted, got)))
    return wanted == got


def check_with_flatpak_builder(path, manifest, flatpak_builder):
    # --show-manifest parses the file into flatpak-builder's own objects and prints them again.
    # It exits non-zero only for broken JSON: an unknown or misspelt key, or a value of the
    # wrong type, only prints a warning on stderr and is left out of what it prints. So both
    # stderr and the round trip are checked.
    # Its state folder (.flatpak-builder) goes to a scratch folder, not the source tree.
    with tempfile.TemporaryDirectory(prefix="tincan-flatpak-") as scratch:
        result = subprocess.run([flatpak_builder, "--show-manifest", os.path.abspath(path)],
                                capture_output=True, text=True, timeout=60, cwd=scratch,
                                env=dict(os.environ, LC_ALL="C.UTF-8"))
    if result.returncode != 0:
        problem(path, f"flatpak-builder --show-manifest failed: {result.stderr.strip()}")
        return
    if result.stderr.strip():
        problem(path, f"flatpak-builder --show-manifest warns: {result.stderr.strip()}")
    try:
        shown = json.loads(result.stdout)
    except ValueError as e:
        problem(path, f"flatpak-builder --show-manifest printed something that is not JSON: {e}")
        return
    if manifest is not None and not contained(manifest, shown):
        problem(path, "flatpak-builder dropped part of the manifest: a key it does not know?")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source-root", required=True)
    parser.add_argument("--base-id", required=True)
    parser.add_argument("--app-id", required=True)
    parser.add_argument("--profile", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--command", required=True)
    parser.add_argument("--flatpak-builder", default="")
    parser.add_argument("manifests", nargs="+")
    args = parser.parse_args()

    seen = {}
    for path in args.manifests:
        manifest = check_manifest(path, args)
        if manifest is not None and isinstance(manifest, dict):
            seen[path] = manifest
        if args.flatpak_builder:
            check_with_flatpak_builder(path, manifest, args.flatpak_builder)

    # Both profiles are covered, and built the same way apart from the app ID and the source.
    profiles = sorted(profile_of(m["modules"][-1]) for m in seen.values()
                      if m.get("modules") and isinstance(m["modules"][-1], dict))
    if profiles != ["default", "development"]:
        problems.append(f"expected one manifest per profile (default, development), "
                        f"found {profiles}")
    versions = {m.get("runtime-version") for m in seen.values()}
    if len(versions) > 1:
        problems.append(f"the manifests use different runtime versions: {sorted(map(str, versions))}")

    if not args.flatpak_builder:
        print("flatpak-builder not found: checked without it (Debian package flatpak-builder)")
    for p in problems:
        print(p)
    if not problems:
        print(f"{len(args.manifests)} manifests OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
