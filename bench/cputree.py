#!/usr/bin/env python3
"""Runs a command and prints its wall time and the CPU time (user+sys) and peak RSS of its whole process tree.

/usr/bin/time counts only the children a process waited for: chromium's renderer and GPU processes are reaped by its
zygote or by init, so their CPU is missed. Here the runner is a child subreaper (prctl PR_SET_CHILD_SUBREAPER): every
orphaned descendant is re-parented to it and waited for, so RUSAGE_CHILDREN holds the whole tree. Wall time is until the
command itself exits. Usage: cputree.py COMMAND [ARGS...]   (output on stderr; the command's stdout is passed through)"""
import ctypes, os, resource, sys, time

ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
start = time.monotonic()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
wall, code = None, None
while True:
    try:
        child, status = os.wait()
    except ChildProcessError:
        break
    if child == pid:
        wall, code = time.monotonic() - start, os.waitstatus_to_exitcode(status)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.2f} s wall, {usage.ru_utime + usage.ru_stime:.2f} s CPU of the process tree "
      f"({usage.ru_utime:.2f} user + {usage.ru_stime:.2f} sys), {usage.ru_maxrss // 1024} MB peak RSS (largest process)", file=sys.stderr)
sys.exit(code)
