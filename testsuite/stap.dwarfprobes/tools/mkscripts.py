#!/usr/bin/env python3
"""Writes the stap.dwarfprobes scripts (ok/*.stp, ko/*.stp) from
tools/spec.py, computing each '# at: LINE:COL' from a needle in the body
so locations stay exact when a body is edited.  For maintainers; the
generated files are checked in.

Usage: mkscripts.py [TIER-DIR]      (default: the folder above this one)

A test is T(name, msgs, body, **headers): msgs are (kind, text, needle)
with kind 'error', 'errstart' (the message starts with text), or
'warning'; the needle is the text the message points at, its first
occurrence in the body, or (needle, n) for the nth; None: no location.
Headers (args, flags, ref, needs) are written first, in that order."""
import os
import sys

HEADERS = ('needs', 'flags', 'args', 'ref')


def locate(name, lines, first, needle):
    occ = 1
    if isinstance(needle, tuple):
        needle, occ = needle
    seen = 0
    for i, line in enumerate(lines):
        start = 0
        while True:
            j = line.find(needle, start)
            if j < 0:
                break
            seen += 1
            if seen == occ:
                return first + i, j + 1
            start = j + 1
    sys.exit('%s: needle %r not found' % (name, needle))


def render(t):
    body = t['body'].strip('\n') + '\n'
    head = ['# %s: %s' % (k, t[k]) for k in HEADERS if k in t]
    nmsg = sum(1 if m[2] is None else 2 for m in t['msgs'])
    first = len(head) + nmsg + 1
    lines = body.split('\n')
    out = []
    for kind, text, needle in t['msgs']:
        out.append('# %s: %s' % (kind, text))
        if needle is not None:
            out.append('# at: %d:%d' % locate(t['name'], lines, first, needle))
    return '\n'.join(head + out) + '\n' + body


def main():
    tier = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
    spec = {}
    path = os.path.join(tier, 'tools', 'spec.py')
    exec(compile(open(path).read(), path, 'exec'), spec)
    for sub, tests in (('ok', spec['OK']), ('ko', spec['KO'])):
        os.makedirs(os.path.join(tier, sub), exist_ok=True)
        for t in tests:
            with open(os.path.join(tier, sub, t['name'] + '.stp'), 'w') as f:
                f.write(render(t))


main()
