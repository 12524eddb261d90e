// The twin of correlated aggregation: MM = the least m ≥ 0 with m² · F ≥ Σ_b Σ_c ρ_bc L_b L_c
// (0 when the sum is not positive), ρ from the venue's `params.correlation`, 1 on the diagonal
// and 0 for pairs not given.
import { parseDecimal } from "./decimal.mjs";

const F = 10n ** 9n;

export function correlationOf(params) {
  if (!params?.correlation) return null;
  const rho = new Map();
  for (const [a, row] of Object.entries(params.correlation)) {
    for (const [b, text] of Object.entries(row)) {
      rho.set(`${a}|${b}`, parseDecimal(text, 9));
      rho.set(`${b}|${a}`, parseDecimal(text, 9));
    }
  }
  return (a, b) => (a === b ? F : rho.get(`${a}|${b}`) ?? 0n);
}

/** losses: Map(underlying → L). */
export function correlatedMaintenance(losses, rho) {
  let q = 0n;
  for (const [a, la] of losses) for (const [b, lb] of losses) q += rho(a, b) * la * lb;
  if (q <= 0n) return 0n;
  // integer square root by Newton's method on ⌈q / F⌉ is not exact for the ceiling; search instead
  let m = BigInt(Math.ceil(Math.sqrt(Number(q) / 1e9)));
  while (m > 0n && (m - 1n) * (m - 1n) * F >= q) m--;
  while (m * m * F < q) m++;
  return m;
}
