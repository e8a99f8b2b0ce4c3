#!/usr/bin/env python3
"""Writes sema-ko/sema-ok scripts from compact specs, computing each
'# at: LINE:COL' from a needle in the body, so locations stay exact when
a body is edited.  Usage: mkko.py SPEC.py OUTDIR"""
import sys, re

def render(t):
    name, msgs, body = t['name'], t['msgs'], t['body'].strip('\n') + '\n'
    head = []
    for k in ('flags', 'args', 'exit', 'arch', 'needs'):
        if k in t:
            head.append('# %s: %s' % (k, t[k]))
    # Placeholders first so the body's line numbers are known.
    nmsg = sum(1 if m[2] is None else 2 for m in msgs)
    first_body_line = len(head) + nmsg + 1
    lines = body.split('\n')
    out = []
    for kind, text, needle in msgs:
        out.append('# %s: %s' % (kind, text))
        if needle is None:
            continue
        if isinstance(needle, str) and needle.startswith('file:'):
            out.append('# at: ' + needle[5:])
            continue
        occ = 1
        where, base, first = None, lines, first_body_line
        if isinstance(needle, tuple) and needle[0].startswith('@'):
            where = needle[0][1:]
            base = open(TOP + '/' + where).read().split('\n')
            first = 1
            needle = needle[1]
        elif isinstance(needle, tuple):
            needle, occ = needle
        seen = 0
        pos = None
        at_end = needle.endswith('\n')
        if at_end:
            needle = needle[:-1]
        for i, l in enumerate(base):
            if at_end:
                if l.endswith(needle):
                    pos = (first + i, len(l) - len(needle) + 1)
                    break
                continue
            start = 0
            while True:
                j = l.find(needle, start)
                if j < 0:
                    break
                seen += 1
                if seen == occ:
                    pos = (first + i, j + 1)
                    break
                start = j + 1
            if pos:
                break
        if not pos:
            sys.exit('%s: needle %r not found' % (name, needle))
        out.append('# at: %s%d:%d' % (where + ':' if where else '', pos[0], pos[1]))
    return '\n'.join(head + out) + '\n' + body

TOP = sys.argv[3] if len(sys.argv) > 3 else '.'
spec = {}
exec(open(sys.argv[1]).read(), spec)
for t in spec['TESTS']:
    with open('%s/%s.stp' % (sys.argv[2], t['name']), 'w') as f:
        f.write(render(t))
