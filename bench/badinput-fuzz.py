#!/usr/bin/env python3
"""External bad-input fuzzer (issue 9's bar), kept apart from the suite's CsCheck property test.

Damages copies of the lab's stores.yaml, Pulumi.lab.yaml and its overrides, runs the real `edgeinfra` process
(`preview`, or `up --all-rings --yes`) on each and checks: exit 2 naming the file (with a line when the damage has
one) or a valid run (exit 0); never exit 1 or a crash; at most 500 MB and 10 s per run; a refused run changes nothing
under .edgeinfra/ (state, parse cache, the lab's bare fleet repo); nothing hostile reaches a shell (no marker file).

  python3 bench/badinput-fuzz.py [--cases 1000] [--seed N] [--up-share 0.1]
    [--edgeinfra infra/EdgeInfra.Cli/bin/Release/net10.0/edgeinfra]
"""
import argparse, hashlib, os, random, re, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INVENTORY, STACK = "stacks/lab/stores.yaml", "Pulumi.lab.yaml"
MARKER = "/tmp/edgeinfra-fuzz-pwned"
HOSTILE = [
    f"$(touch {MARKER})", f"`touch {MARKER}`", f"a; touch {MARKER}", "a && reboot", "../../../../etc/passwd", "/etc/shadow",
    '"a\\nEdge-Actor: mallory"', '"x\\r\\ny"', '"t\\tab"', '"\\0"', '"\\e[31mred"', '"zw\\u200Bsp"', '"bidi\\u202Eevil"',
    '"\\uFEFFbom"', '"\\u2028ls"', "*nope", "&a [*a]", "!!binary aGk=", "{", "[", "]", "}", "|", ">", "? k", "@x", "`x",
    "null", "~", "true", "-1", "0", "1e400", ".inf", "9" * 30, "0o17", '""', '" "', "2.4.1 beta", "2.4", "v2.4.1+b",
    "Europe..Budapest", "posixrules", "right.Europe.Budapest", "Etc.GMT-14", "25-30", "2-5", "retail-region-1",
    "eu-central", "no-such-ring", "NoZone", "200%", "-5%", "[]", "{}", "[a, {b: c}]", "x" * 70,
]


def bomb(depth):
    parts = ["&b0 [y, y, y, y, y, y, y, y, y, y]"]
    parts += [f"&b{i} [{', '.join([f'*b{i-1}'] * 10)}]" for i in range(1, depth)]
    return "[" + ", ".join(parts) + "]"


def content_lines(lines):
    return [i for i, l in enumerate(lines) if l.strip() and not l.lstrip().startswith("#")]


def set_value(lines, i, value):
    l = lines[i]
    m = re.match(r"^(\s*(?:- )?[^:#]+:\s)", l)
    if m: lines[i] = m.group(1) + value
    elif l.lstrip().startswith("- "): lines[i] = l[: l.index("- ") + 2] + value
    else: lines[i] = l.rstrip() + " " + value


def damage(text, rng):
    """Returns (kind, damaged text, must_refuse)."""
    lines = text.split("\n")
    idx = content_lines(lines)
    i = rng.choice(idx) if idx else 0
    k = rng.randrange(16)
    must = False
    if k == 0: kind = "byte flip"; pos = rng.randrange(len(text)); return kind, text[:pos] + chr(rng.randrange(1, 256)) + text[pos + 1:], False
    elif k == 1: kind = "swap lines"; j = rng.choice(idx); lines[i], lines[j] = lines[j], lines[i]
    elif k == 2:
        # A repeated "key: ..." line is a duplicate key, never valid; a repeated list item ("- ...") can be.
        must = not lines[i].lstrip().startswith("-") and ":" in lines[i]
        kind = "duplicate key line" if must else "duplicate list item"; lines.insert(i, lines[i])
    elif k == 3: kind = "drop line"; del lines[i]
    elif k == 4: kind = "indent +/-"; lines[i] = ("  " + lines[i]) if rng.random() < .5 else lines[i][1:]
    elif k == 5: kind = "tab indent"; lines[i] = "\t" + lines[i].lstrip(" ")
    elif k == 6: kind = "unclosed flow"; set_value(lines, i, rng.choice(["[a, b", "{a: b", "'open", '"open']))
    elif k in (7, 8, 9): kind = "hostile value"; set_value(lines, i, rng.choice(HOSTILE))
    elif k == 10: kind = "megabyte value"; set_value(lines, i, "m" * (1 << 20)); must = True
    elif k == 11: d = rng.randrange(3, 10); kind = f"alias bomb d{d}"; set_value(lines, i, bomb(d)); must = d >= 6
    elif k == 12: kind = "self alias"; set_value(lines, i, rng.choice(["&s [*s]", "&s {k: *s}"])); must = True
    elif k == 13: kind = "truncate"; return kind, text[: rng.randrange(len(text))], False
    elif k == 14: kind = "copy block"; n = rng.randrange(2, 20); lines[i:i] = lines[i:i + n]
    else: kind = "unicode"; pos = rng.randrange(len(text)); return kind, text[:pos] + rng.choice("\u200b\u202e\ufeff\u0085\u2028\x00\x07\x1b\x7f") + text[pos:], False
    return kind, "\n".join(lines), must


def tree_hash(path):
    h = {}
    for d, _, files in os.walk(path):
        for f in files:
            p = os.path.join(d, f)
            with open(p, "rb") as fh: h[os.path.relpath(p, path)] = hashlib.sha256(fh.read()).hexdigest()
    return h


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=random.randrange(1 << 30))
    ap.add_argument("--up-share", type=float, default=0.1)
    ap.add_argument("--edgeinfra", default=os.path.join(ROOT, "infra/EdgeInfra.Cli/bin/Release/net10.0/edgeinfra"))
    a = ap.parse_args()
    rng = random.Random(a.seed)
    work = tempfile.mkdtemp(prefix="edgeinfra-fuzz-")
    proj = os.path.join(work, "p")
    os.makedirs(os.path.join(proj, "stacks"))
    for f in ("Pulumi.yaml", STACK): shutil.copy(os.path.join(ROOT, f), proj)
    for d in ("apps", "lab"): shutil.copytree(os.path.join(ROOT, "stacks", d), os.path.join(proj, "stacks", d))
    run = lambda args: subprocess.run(["/usr/bin/time", "-f", "%M %e", a.edgeinfra, *args, "--stack", "lab", "--cwd", proj],
                                      capture_output=True, text=True, errors="replace", timeout=120)
    first = run(["up", "--all-rings", "--yes"])
    assert first.returncode == 0, first.stderr
    state = os.path.join(proj, ".edgeinfra")
    pristine = os.path.join(work, "pristine")
    shutil.copytree(state, pristine)
    baseline = tree_hash(state)
    originals = {f: open(os.path.join(proj, f), encoding="utf-8").read() for f in (INVENTORY, STACK)}
    if os.path.exists(MARKER): os.remove(MARKER)
    failures, outcomes, worst_mb, worst_s = [], {}, 0.0, 0.0
    started = time.time()
    for n in range(a.cases):
        for f, t in originals.items(): open(os.path.join(proj, f), "w", encoding="utf-8").write(t)
        if tree_hash(state) != baseline:
            shutil.rmtree(state); shutil.copytree(pristine, state)
        target = rng.randrange(3)
        f = INVENTORY if target == 0 else STACK
        text = originals[f]
        if target == 2:
            s, e = text.index("  edge-infra:overrides:"), text.index("  # The Fleet simulator")
            kind, part, must = damage(text[s:e], rng)
            kind, damaged = kind + " (overrides)", text[:s] + part + text[e:]
        else:
            kind, damaged, must = damage(text, rng)
        with open(os.path.join(proj, f), "w", encoding="utf-8", errors="surrogatepass") as fh: fh.write(damaged)
        verb = ["up", "--all-rings", "--yes"] if rng.random() < a.up_share else ["preview"]
        r = run(verb)
        tail = r.stderr.strip().split("\n")
        mb, secs = (float(x) for x in tail[-1].split()) if re.match(r"^\d+ [\d.]+$", tail[-1]) else (0.0, 0.0)
        mb /= 1024; worst_mb = max(worst_mb, mb); worst_s = max(worst_s, secs)
        err = "\n".join(tail[:-1])
        problems = []
        if r.returncode not in (0, 2): problems.append(f"exit {r.returncode}")
        if must and r.returncode != 2: problems.append("accepted an input that cannot be valid")
        if "Exception" in err or "\n   at " in err: problems.append("exception text")
        if r.returncode == 2 and f not in err and not re.search(r"(Pulumi\.yaml|Pulumi\.lab\.yaml|stores\.yaml)(:\d+)?:", err) and "--allow-mass-delete" not in err:
            problems.append("refusal names no file")
        if proj in err: problems.append("absolute path in message")
        if r.returncode == 2 and tree_hash(state) != baseline: problems.append("refused run changed .edgeinfra/")
        if mb > 500: problems.append(f"{mb:.0f} MB")
        if secs > 10: problems.append(f"{secs:.1f} s")
        if os.path.exists(MARKER): problems.append("hostile value reached a shell"); os.remove(MARKER)
        key = f"{kind.split(' d')[0] if kind.startswith('alias') else kind} -> exit {r.returncode}"
        outcomes[key] = outcomes.get(key, 0) + 1
        if problems:
            failures.append((n, kind, f, " ".join(verb), problems, err[:600]))
    took = time.time() - started
    print(f"seed {a.seed}: {a.cases} cases in {took:.0f} s; worst {worst_mb:.0f} MB, {worst_s:.1f} s per run; {len(failures)} failures")
    for k in sorted(outcomes): print(f"  {outcomes[k]:5}  {k}")
    kinds = {}
    for _, _, _, _, problems, _ in failures:
        for p in problems:
            p = re.sub(r"^[\d.]+ (s|MB)$", r"over the \1 bound", p)
            kinds[p] = kinds.get(p, 0) + 1
    for k in sorted(kinds): print(f"  failure: {kinds[k]:5}  {k}")
    for n, kind, f, verb, problems, err in failures[:30]:
        print(f"\n#{n} {kind} in {f} ({verb}): {', '.join(problems)}\n{err}")
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
