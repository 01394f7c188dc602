#!/usr/bin/env bash
# Writes the greeting into the folder the run's tasks share (Featherflow's TMP_DIR).
set -eu
echo "$1, $2!" > "$TMP_DIR/greeting.txt"
echo "stage $STAGE wrote $TMP_DIR/greeting.txt"
