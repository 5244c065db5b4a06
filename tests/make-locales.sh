#!/bin/sh
# Builds the locales that the digit-grouping tests need (en_US.UTF-8 groups
# with commas, de_DE.UTF-8 with dots) into the build directory, so that the
# tests do not depend on which locales the machine has generated: Debian's
# "locales" package (build-aux/dev installs it for the tests) has their
# sources, and localedef, from libc-bin, compiles them in about a second each.
# Usage: make-locales.sh DIR STAMP (meson runs it on every build: it is cheap once built)
set -e
dir=$1
stamp=$2
mkdir -p "$dir"
for name in en_US de_DE; do
  # Built once; tried again on every build until the sources are there (a
  # first build may come before build-aux/dev test installs "locales").
  if [ -f "$dir/$name.UTF-8/LC_NUMERIC" ]; then
    continue
  fi
  if [ -f /usr/share/i18n/locales/$name ]; then
    # -c: the sources' warnings do not stop it; a test that finds no such
    # locale says so and skips its check.
    localedef -c -i $name -f UTF-8 "$dir/$name.UTF-8" || true
  fi
done
: > "$stamp"
