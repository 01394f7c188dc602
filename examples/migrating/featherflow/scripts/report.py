"""Reads what 'prepare' left in TMP_DIR and publishes it as an output."""
import os

with open(os.path.join(os.environ["TMP_DIR"], "greeting.txt"), encoding="utf-8") as f:
    greeting = f.read().strip()

print(greeting)
with open(os.environ["WEFT_OUTPUT"], "a", encoding="utf-8") as out:
    out.write(f"greeting={greeting}\n")
