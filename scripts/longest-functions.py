#!/usr/bin/env python3
"""scripts/longest-functions.py [REPO] [N] -- the N longest functions (lines, braces counted) in
the workspace's crates, test modules (`#[cfg(test)]` onward) and `tests/` directories left out.
A rough brace counter, good enough to keep "functions a reader can hold in their head" honest."""
import os
import re
import sys
root=sys.argv[1] if len(sys.argv)>1 else "."; n=int(sys.argv[2]) if len(sys.argv)>2 else 15
res=[]
for dp,dn,fn in os.walk(os.path.join(root,'crates')):
    if '/tests' in dp or 'target' in dp: continue
    for f in fn:
        if not f.endswith('.rs'): continue
        p=os.path.join(dp,f); lines=open(p).read().split('\n')
        in_test=False
        i=0
        while i<len(lines):
            l=lines[i]
            if re.match(r'\s*#\[cfg\(test\)\]',l): break
            m=re.match(r'\s*(pub(\([^)]*\))?\s+)?(const\s+)?(unsafe\s+)?(extern\s+"C"\s+)?fn\s+(\w+)',l)
            if m:
                depth=0; started=False; j=i
                while j<len(lines):
                    s=re.sub(r'"(\\.|[^"\\])*"','""',lines[j]); s=re.sub(r"'(\\.|[^'\\])'","''",s); s=s.split('//')[0]
                    for ch in s:
                        if ch=='{': depth+=1; started=True
                        elif ch=='}': depth-=1
                    if started and depth<=0: break
                    if not started and s.rstrip().endswith(';'): break
                    j+=1
                if started: res.append((j-i+1,os.path.relpath(p,root),m.group(6)))
                i=j+1 if started else i+1
                continue
            i+=1
res.sort(reverse=True)
for r in res[:n]: print(f"{r[0]:5d}  {r[1]}::{r[2]}")
