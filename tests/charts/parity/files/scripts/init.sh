#!/bin/sh
set -e
echo "initialising"

echo done
