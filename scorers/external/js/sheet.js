// Chou-Fasman beta-sheet propensity rule, the same as ddpp's built-in Java scorer protein-sheet
// (org.ddpp.scorers.protein.SheetPropensity): AAindex CHOP780202, "Normalized frequency of beta-sheet"
// (Chou and Fasman, Adv. Enzymol. 47, 45-148, 1978). A residue is sheet when some window of 5 consecutive
// residues containing it has mean propensity >= 1.05 (a protein shorter than 5 is one window); the sheet fraction
// is sheet residues / residues, and log R = log(fraction + 0.01).
'use strict';

const CHOP780202 = {
  A: 0.83, R: 0.93, N: 0.89, D: 0.54, C: 1.19, Q: 1.10, E: 0.37, G: 0.75, H: 0.87, I: 1.60,
  L: 1.30, K: 0.74, M: 1.05, F: 1.38, P: 0.55, S: 0.75, T: 1.19, W: 1.37, Y: 1.47, V: 1.70,
};
const WINDOW = 5;
const THRESHOLD = 1.05;
const EPSILON = 0.01;
const PROTEIN = /^[ACDEFGHIKLMNPQRSTVWY]+$/;

/** True when text is a protein of the 20 standard one-letter codes. */
function isProtein(text) {
  return typeof text === 'string' && PROTEIN.test(text);
}

/** Predicted sheet fraction of a protein string, in [0, 1]. */
function sheetFraction(protein) {
  const p = Array.from(protein, (c) => CHOP780202[c]);
  const n = p.length;
  const w = Math.min(WINDOW, n);
  const sheet = new Array(n).fill(false);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += p[i];
    if (i >= w) sum -= p[i - w];
    if (i >= w - 1 && sum / w >= THRESHOLD - 1e-12) {
      for (let j = i - w + 1; j <= i; j++) sheet[j] = true;
    }
  }
  return sheet.filter(Boolean).length / n;
}

/** log R of a protein string. */
function logReward(protein) {
  return Math.log(sheetFraction(protein) + EPSILON);
}

module.exports = { isProtein, sheetFraction, logReward, EPSILON };
