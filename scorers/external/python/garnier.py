"""Runs EMBOSS garnier (GOR secondary-structure prediction, Debian package `emboss`) on a batch of proteins and
returns, per protein, the fractions of residues predicted helix (H), sheet (E), turn (T) and coil (C)."""
import os
import re
import subprocess
import tempfile

_SECTION = re.compile(r"^# Sequence: (\S+)\s+from: (\d+)\s+to: (\d+)", re.M)
_TOTALS = re.compile(r"Residue totals: H:\s*(\d+)\s+E:\s*(\d+)\s+T:\s*(\d+)\s+C:\s*(\d+)")


class GarnierError(RuntimeError):
    """garnier could not be run, or its report did not cover every protein."""


def predict(proteins, garnier="garnier", timeout=60):
    """proteins: list of one-letter strings. Returns a list of dicts {"H","E","T","C"} of fractions, same order."""
    if not proteins:
        return []
    with tempfile.TemporaryDirectory(prefix="ddpp-garnier-") as tmp:
        fasta = os.path.join(tmp, "in.fasta")
        report = os.path.join(tmp, "out.garnier")
        with open(fasta, "w", encoding="ascii") as out:
            for i, protein in enumerate(proteins):
                out.write(">p%d\n%s\n" % (i, protein))
        try:
            done = subprocess.run([garnier, "-sequence", fasta, "-outfile", report, "-auto"],
                                  capture_output=True, text=True, timeout=timeout)
        except FileNotFoundError:
            raise GarnierError("%s not found: apt-get install emboss" % garnier)
        except subprocess.TimeoutExpired:
            raise GarnierError("garnier ran past %d s" % timeout)
        if done.returncode != 0:
            raise GarnierError("garnier exited %d: %s" % (done.returncode, done.stderr.strip()[-500:]))
        with open(report, encoding="ascii", errors="replace") as f:
            text = f.read()
    return _parse(text, proteins)


def _parse(text, proteins):
    fractions = {}
    sections = list(_SECTION.finditer(text))
    for k, section in enumerate(sections):
        end = sections[k + 1].start() if k + 1 < len(sections) else len(text)
        totals = _TOTALS.search(text, section.end(), end)
        if totals is None:
            continue
        length = int(section.group(3)) - int(section.group(2)) + 1
        counts = [int(g) for g in totals.groups()]
        fractions[section.group(1)] = {state: n / length for state, n in zip("HETC", counts)}
    missing = [i for i in range(len(proteins)) if "p%d" % i not in fractions]
    if missing:
        raise GarnierError("garnier reported nothing for %d of %d proteins" % (len(missing), len(proteins)))
    return [fractions["p%d" % i] for i in range(len(proteins))]
