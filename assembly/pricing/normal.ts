// The standard normal distribution in f64.
// CDF through erfc, by W. J. Cody, "Rational Chebyshev approximations for the error function",
// Mathematics of Computation 23 (1969) 631–637 — the three-interval scheme of his CALERF
// routine, with its coefficients; relative error near 1e-16 across the whole line.

// @ts-ignore: decorator
@lazy const ERF_P = memory.data<f64>([3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02, 3.20937758913846947e03, 1.85777706184603153e-1]);
// @ts-ignore: decorator
@lazy const ERF_Q = memory.data<f64>([2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03]);
// @ts-ignore: decorator
@lazy const ERFC_P = memory.data<f64>([5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01, 2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8]);
// @ts-ignore: decorator
@lazy const ERFC_Q = memory.data<f64>([1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02, 1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03]);
// @ts-ignore: decorator
@lazy const TAIL_P = memory.data<f64>([3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2]);
// @ts-ignore: decorator
@lazy const TAIL_Q = memory.data<f64>([2.56852019228982242e00, 1.87295284992346725e00, 5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3]);

const INV_SQRT_PI: f64 = 5.6418958354775628695e-1;
const INV_SQRT_2PI: f64 = 3.9894228040143267794e-1;
const SQRT_HALF: f64 = 7.0710678118654752440e-1;

// @ts-ignore: decorator
@inline function at(table: usize, i: i32): f64 { return load<f64>(table + (<usize>i << 3)); }

/** exp(−y²) without losing y's low bits: split y = head + tail with head a multiple of 1/16. */
// @ts-ignore: decorator
@inline function expMinusSquare(y: f64): f64 {
  const head = Math.trunc(y * 16.0) / 16.0;
  const tail = (y - head) * (y + head);
  return Math.exp(-head * head) * Math.exp(-tail);
}

/** erf(x) for |x| ≤ 0.5. */
function erfSmall(x: f64): f64 {
  const z = x * x;
  let num = at(ERF_P, 4) * z, den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + at(ERF_P, i)) * z;
    den = (den + at(ERF_Q, i)) * z;
  }
  return x * (num + at(ERF_P, 3)) / (den + at(ERF_Q, 3));
}

/** erfc(y) for y > 0.5. */
function erfcPositive(y: f64): f64 {
  let result: f64;
  if (y <= 4.0) {
    let num = at(ERFC_P, 8) * y, den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + at(ERFC_P, i)) * y;
      den = (den + at(ERFC_Q, i)) * y;
    }
    result = (num + at(ERFC_P, 7)) / (den + at(ERFC_Q, 7));
  } else {
    if (y >= 26.6) return 0.0; // below the smallest normal f64
    const z = 1.0 / (y * y);
    let num = at(TAIL_P, 5) * z, den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + at(TAIL_P, i)) * z;
      den = (den + at(TAIL_Q, i)) * z;
    }
    result = (INV_SQRT_PI - z * (num + at(TAIL_P, 4)) / (den + at(TAIL_Q, 4))) / y;
  }
  return result * expMinusSquare(y);
}

/** Complementary error function. */
export function erfc(x: f64): f64 {
  const y = Math.abs(x);
  if (y <= 0.5) return 1.0 - erfSmall(x);
  const tail = erfcPositive(y);
  return x > 0 ? tail : 2.0 - tail;
}

/** Standard normal CDF Φ(x) = erfc(−x/√2) / 2, accurate in both tails. */
export function normalCdf(x: f64): f64 {
  return 0.5 * erfc(-x * SQRT_HALF);
}

/** Standard normal density φ(x). */
export function normalPdf(x: f64): f64 {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}
