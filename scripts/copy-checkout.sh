#!/bin/sh
# Copies a checkout (FROM) into a folder of its own (TO), without what installs and builds write:
# every node_modules, dist/, build/, the examples' build/ and vendor/, benchmark results and git's
# data. The compose "tests" service runs the suite in that copy, so a checkout mounted read-only
# is left as it was, and a host's node_modules (perhaps for another OS) is never used.
#
#   sh scripts/copy-checkout.sh /checkout /src
set -eu
from=$1
to=$2
mkdir -p "$to"
tar -C "$from" \
  --exclude=node_modules --exclude=./.git --exclude=./dist --exclude=./build \
  --exclude='./examples/*/build' --exclude='./examples/*/vendor' --exclude=./bench/results \
  -cf - . | tar -C "$to" -xf -
