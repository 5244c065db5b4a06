#!/bin/sh
# build-aux/skip-missing-tool.sh
# Copyright 2026 The Tincan Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Stands in for a check whose tool was not found when the build was configured:
# meson reports exit status 77 as SKIP, and the reason is in the test's output.
# usage: skip-missing-tool.sh TOOL DEBIAN-PACKAGE
echo "SKIP: $1 was not found when this build was configured (Debian package: $2)"
exit 77
