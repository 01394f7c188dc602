#!/usr/bin/env python3
"""Counts the lines of a file and reports the count as the output 'lines'."""
import argparse
import os

parser = argparse.ArgumentParser()
parser.add_argument("--input", required=True)
parser.add_argument("--label", default="data")
parser.add_argument("--verbose", action="store_true")
args = parser.parse_args()

with open(args.input, encoding="utf-8") as f:
    lines = f.read().splitlines()

if args.verbose:
    for line in lines:
        print(f"  {line}")
print(f"{args.label}: {len(lines)} lines")

output = os.environ.get("WEFT_OUTPUT")
if output:
    with open(output, "a", encoding="utf-8") as f:
        f.write(f"lines={len(lines)}\n")
