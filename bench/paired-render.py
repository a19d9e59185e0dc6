#!/usr/bin/env python3
"""Paired timing of `reel render` builds on one session, for changes smaller than the noise.

    python3 bench/paired-render.py ROUNDS SESSION.yaml BINARY... [-- RENDER_ARGS...]

Each round renders SESSION.yaml once with every binary (the order reversed every other round,
so a drift of the machine's speed hits each side alike), timed by /usr/bin/time. Prints per
binary the min and median CPU (user + sys) and wall seconds, and the median over rounds of
its CPU and wall time divided by the first binary's in the same round: on this project's
shared VM, whose speed drifts 10-20 % within minutes, that paired ratio separates a 2-3 %
change where medians of separate runs cannot. The session's relative paths resolve from its
own directory; the output goes to a temporary file.
"""
import os
import statistics
import subprocess
import sys
import tempfile


def main(argv):
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    else:
        extra = []
    if len(argv) < 4:
        sys.exit(__doc__)
    rounds, session, binaries = int(argv[1]), os.path.abspath(argv[2]), [os.path.abspath(b) for b in argv[3:]]
    cpu = {b: [] for b in binaries}
    wall = {b: [] for b in binaries}
    with tempfile.TemporaryDirectory() as scratch:
        timing, output = os.path.join(scratch, "time"), os.path.join(scratch, "out.wav")
        for r in range(rounds):
            for b in binaries if r % 2 == 0 else reversed(binaries):
                subprocess.run(["/usr/bin/time", "-f", "%e %U %S", "-o", timing, b, "render", session, "-o", output,
                                "--quiet"] + extra, check=True, cwd=os.path.dirname(session))
                w, u, s = map(float, open(timing).read().split()[-3:])
                cpu[b].append(u + s)
                wall[b].append(w)
    first = binaries[0]
    for b in binaries:
        cpu_ratio = statistics.median(c / c0 for c, c0 in zip(cpu[b], cpu[first]))
        wall_ratio = statistics.median(w / w0 for w, w0 in zip(wall[b], wall[first]))
        print(f"{b}\n  cpu min {min(cpu[b]):.3f} median {statistics.median(cpu[b]):.3f} s, wall min "
              f"{min(wall[b]):.3f} median {statistics.median(wall[b]):.3f} s, paired ratio to the first: "
              f"cpu {cpu_ratio:.3f}, wall {wall_ratio:.3f}")
    print("load average:", open("/proc/loadavg").read().split()[:3])


if __name__ == "__main__":
    main(sys.argv)
