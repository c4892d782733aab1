#!/usr/bin/env python3
"""Writes man pages for `verbund` and each of its subcommands from the binary's own `--help` (so they never drift).

Usage: scripts/man-pages.py PATH/TO/verbund OUT-DIR
Writes OUT-DIR/verbund.1, OUT-DIR/verbund-serve.1, OUT-DIR/verbund-federation-admit.1, … (roff, man(7) macros).
"""
import re
import subprocess
import sys
import datetime

binary, out_dir = sys.argv[1], sys.argv[2]
version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout.split()[-1]
# SOURCE_DATE_EPOCH keeps the package reproducible (https://reproducible-builds.org/specs/source-date-epoch/).
date = datetime.datetime.fromtimestamp(int(__import__("os").environ.get("SOURCE_DATE_EPOCH", "0")) or
                                       datetime.datetime.now().timestamp(), datetime.timezone.utc).strftime("%Y-%m-%d")


def roff(text):
    """Escapes text for roff: backslashes, and a leading dot or apostrophe that would start a request."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join(("\\&" + line if line.startswith((".", "'")) else line) for line in text.split("\n"))


def help_of(words):
    return subprocess.run([binary] + words + ["--help"], capture_output=True, text=True, check=True).stdout


def write_page(words, text):
    name = "-".join(["verbund"] + words)
    lines = text.rstrip("\n").split("\n")
    summary = lines[0].split(" — ", 1)[1] if " — " in lines[0] else lines[0]
    body = "\n".join(lines[2:])
    page = [f'.TH {name.upper()} 1 "{date}" "verbund {version}" "Verbund manual"',
            ".SH NAME", f"{roff(name)} \\- {roff(summary)}",
            ".SH DESCRIPTION", ".nf", roff(body), ".fi",
            ".SH SEE ALSO",
            ("verbund(1); " if words else "") + "the guides in /usr/share/doc/verbund/ (operator.md, federation-admin.md, auditor.md)."]
    with open(f"{out_dir}/{name}.1", "w") as f:
        f.write("\n".join(page) + "\n")


def walk(words):
    text = help_of(words)
    write_page(words, text)
    if "\nCommands:\n" not in text:
        return
    section = text.split("\nCommands:\n", 1)[1]
    for line in section.split("\n"):
        match = re.match(r"^  (\S+)\s{2,}", line)
        if not match:
            if line.strip() == "":
                break
            continue
        walk(words + [match.group(1)])


walk([])
