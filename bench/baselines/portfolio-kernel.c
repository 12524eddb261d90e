/*
 * Native baseline: the portfolio-margin aggregation of docs/methodology.md §5 over the same
 * flat arrays the engine loads, in C with 64-bit integers (128-bit where a product can pass
 * 2^63). Compiled and run by bench/run.mjs (gcc -O3 -march=native); it times its own kernel.
 *
 *   portfolio-kernel INPUT OUTPUT MIN_REPS MAX_SECONDS MAX_REPS
 *
 * INPUT is written by writeKernelFile() in kernel-inputs.mjs. The kernel runs once untimed, then
 * at least MIN_REPS times and until MAX_SECONDS have passed (at most MAX_REPS runs); each run
 * fills every account's MM, written to OUTPUT as little-endian i64 for the check against the
 * engine. The timings go to stdout as JSON: {"samplesMs": [...], "repetitions": n}.
 *
 * Per account and underlying bucket (an underlying with a position, or whose asset the account
 * holds while shockCollateral is on):
 *   E       = Σ_linear ⌊lots × lotSize × markUsed / 1e10⌋ + Σ_assets ⌊a × p × (F ∓ h) / 1e19⌋
 *   P&L_s   = ⌊E × move_s / F⌋ + Σ_options lots × riskArray[i][s]
 *   loss_s  = −P&L_s when cover_s = F, else ⌈−P&L_s × cover_s / F⌉
 *   L       = max(0, max_s loss_s, Σ_short options ⌈|lots| × lotSize × S × shortOptionMin / 1e19⌉)
 *   MM      = Σ_buckets L      (buckets add up: venues with params.correlation are not handled)
 *
 * The per-lot constants arrive split like the engine's (assembly/risk/prepare.ts): lotSize ×
 * markUsed = money·1e10 + rest, and the short-option minimum = money·1e19 + restHigh·1e9 + restLow,
 * so the per-position linear value is the exact ⌊lots × lotSize × markUsed / 1e10⌋ (the same
 * integer the engine folds), not lots times a per-lot value rounded first. ⌊E × move / F⌋ and
 * the covered losses go through E = high·F + low, which keeps every product inside 64 bits and
 * every division by a constant (a 128-bit division is a library call; a 64-bit one by a constant
 * is a multiply). Collateral values are formed in 128 bits.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int64_t i64;
typedef __int128 i128;

#define FRACTION 1000000000LL
#define TO_MONEY 10000000000LL

static inline i64 floor_div(i64 x, i64 d) { return x / d - (x % d < 0); }
static inline i64 ceil_div(i64 x, i64 d) { return x / d + (x % d > 0); }

/* ⌊x / 1e19⌋ for a 128-bit x (the quotient fits in 64 bits). */
static inline i64 floor_div_1e19(i128 x) {
  const i128 d = (i128)10000000000000000000ULL;
  i128 q = x / d;
  if (q * d > x) q -= 1;
  return (i64)q;
}

/* ⌊(high·F + low) × f / F⌋ with 0 ≤ low < F and |f| ≤ F: high × f + ⌊low × f / F⌋. */
static inline i64 mul_fraction(i64 high, i64 low, i64 f) { return high * f + floor_div(low * f, FRACTION); }

static i64 N, P, C, I, A, U, S;
static const i64 *move, *cover;
static const int32_t *instrument_underlying;
static const uint8_t *instrument_is_option;
static const i64 *linear_money, *linear_rest, *short_min_money, *short_min_rest_high, *short_min_rest_low, *risk_array;
static const int32_t *asset_underlying;
static const i64 *asset_price, *asset_haircut;
static const uint32_t *position_offsets, *collateral_offsets;
static const uint16_t *position_instrument;
static const int32_t *position_lots;
static const uint8_t *collateral_asset;
static const i64 *collateral_amount;

/* Scratch per underlying (reused across accounts; only touched buckets are read and reset). */
static i64 *exposure, *minimum, *pnl, *mm;
static uint8_t *in_bucket;
static int32_t *bucket_list;

static unsigned char *file;
static size_t file_at;

static const void *take(size_t bytes) {
  const void *p = file + file_at;
  file_at += (bytes + 7) & ~(size_t)7;
  return p;
}

/* Haircut value of a balance a (scale 1e8) at price p (1e8): ⌊a × p × (F ∓ h) / 1e19⌋. */
static inline i64 collateral_value(int asset, i64 amount) {
  const i64 h = asset_haircut[asset];
  const i128 x = (i128)amount * asset_price[asset] * (amount >= 0 ? FRACTION - h : FRACTION + h);
  return floor_div_1e19(x);
}

static inline __attribute__((always_inline)) void touch(int u, int *buckets, const int s_count) {
  if (in_bucket[u]) return;
  in_bucket[u] = 1;
  bucket_list[(*buckets)++] = u;
  exposure[u] = 0;
  minimum[u] = 0;
  memset(pnl + (i64)u * s_count, 0, sizeof(i64) * (size_t)s_count);
}

/* The whole pass; `s_count` is a constant at each call site below so the scenario loops unroll. */
static inline __attribute__((always_inline)) void kernel(const int s_count) {
  for (i64 a = 0; a < N; a++) {
    int buckets = 0;
    for (uint32_t c = collateral_offsets[a]; c < collateral_offsets[a + 1]; c++) {
      const int asset = collateral_asset[c];
      const int u = asset_underlying[asset];
      if (u < 0) continue;
      touch(u, &buckets, s_count);
      exposure[u] += collateral_value(asset, collateral_amount[c]);
    }
    for (uint32_t p = position_offsets[a]; p < position_offsets[a + 1]; p++) {
      const int i = position_instrument[p];
      const i64 lots = position_lots[p];
      const int u = instrument_underlying[i];
      touch(u, &buckets, s_count);
      if (!instrument_is_option[i]) {
        /* |lots| ≤ 9e8 and rest < 1e10: the product stays below 2^63 */
        exposure[u] += lots * linear_money[i] + floor_div(lots * linear_rest[i], TO_MONEY);
        continue;
      }
      i64 *row = pnl + (i64)u * s_count;
      const i64 *risk = risk_array + (i64)i * s_count;
      for (int s = 0; s < s_count; s++) row[s] += lots * risk[s];
      if (lots < 0) {
        const i64 n = -lots;
        minimum[u] += n * short_min_money[i] + ceil_div(n * short_min_rest_high[i] + ceil_div(n * short_min_rest_low[i], FRACTION), TO_MONEY);
      }
    }
    i64 total = 0;
    for (int b = 0; b < buckets; b++) {
      const int u = bucket_list[b];
      const i64 e = exposure[u], high = floor_div(e, FRACTION), low = e - high * FRACTION;
      const i64 *row = pnl + (i64)u * s_count;
      i64 worst = 0;
      for (int s = 0; s < s_count; s++) {
        const i64 result = mul_fraction(high, low, move[s]) + row[s];
        i64 loss = -result;
        if (cover[s] != FRACTION) {
          const i64 loss_high = floor_div(result, FRACTION);
          loss = -mul_fraction(loss_high, result - loss_high * FRACTION, cover[s]);
        }
        worst = loss > worst ? loss : worst;
      }
      if (minimum[u] > worst) worst = minimum[u];
      in_bucket[u] = 0;
      total += worst;
    }
    mm[a] = total;
  }
}

static void run_kernel(void) {
  switch (S) {
    case 16: kernel(16); break;
    case 29: kernel(29); break;
    default: kernel((int)S); break;
  }
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s INPUT OUTPUT MIN_REPS MAX_SECONDS MAX_REPS\n", argv[0]);
    return 2;
  }
  FILE *in = fopen(argv[1], "rb");
  if (!in) { perror(argv[1]); return 1; }
  fseek(in, 0, SEEK_END);
  const long size = ftell(in);
  fseek(in, 0, SEEK_SET);
  file = malloc((size_t)size);
  if (!file || fread(file, 1, (size_t)size, in) != (size_t)size) { fprintf(stderr, "cannot read %s\n", argv[1]); return 1; }
  fclose(in);
  if (size < 72 || memcmp(file, "MCKERN01", 8) != 0) { fprintf(stderr, "%s is not a kernel input file\n", argv[1]); return 1; }
  file_at = 8;
  const i64 *header = take(8 * sizeof(i64));
  N = header[0]; P = header[1]; C = header[2]; I = header[3]; A = header[4]; U = header[5]; S = header[6];
  move = take(sizeof(i64) * S);
  cover = take(sizeof(i64) * S);
  instrument_underlying = take(sizeof(int32_t) * I);
  instrument_is_option = take(I);
  linear_money = take(sizeof(i64) * I);
  linear_rest = take(sizeof(i64) * I);
  short_min_money = take(sizeof(i64) * I);
  short_min_rest_high = take(sizeof(i64) * I);
  short_min_rest_low = take(sizeof(i64) * I);
  risk_array = take(sizeof(i64) * I * S);
  asset_underlying = take(sizeof(int32_t) * A);
  asset_price = take(sizeof(i64) * A);
  asset_haircut = take(sizeof(i64) * A);
  position_offsets = take(sizeof(uint32_t) * (N + 1));
  position_instrument = take(sizeof(uint16_t) * P);
  position_lots = take(sizeof(int32_t) * P);
  collateral_offsets = take(sizeof(uint32_t) * (N + 1));
  collateral_asset = take(C);
  collateral_amount = take(sizeof(i64) * C);
  if (file_at > (size_t)size) { fprintf(stderr, "%s is truncated\n", argv[1]); return 1; }

  exposure = calloc((size_t)U + 1, sizeof(i64));
  minimum = calloc((size_t)U + 1, sizeof(i64));
  pnl = calloc((size_t)(U + 1) * (size_t)S, sizeof(i64));
  in_bucket = calloc((size_t)U + 1, 1);
  bucket_list = calloc((size_t)U + 1, sizeof(int32_t));
  mm = calloc((size_t)N + 1, sizeof(i64));
  if (!exposure || !minimum || !pnl || !in_bucket || !bucket_list || !mm) { fprintf(stderr, "out of memory\n"); return 1; }

  const long min_reps = atol(argv[3]), max_reps = atol(argv[5]);
  const double max_ms = atof(argv[4]) * 1e3;
  double *samples = calloc((size_t)max_reps + 1, sizeof(double));
  run_kernel(); /* untimed: first touch of the pages */
  long reps = 0;
  const double start = now_ms();
  while (reps < max_reps && (reps < min_reps || now_ms() - start < max_ms)) {
    const double t0 = now_ms();
    run_kernel();
    samples[reps++] = now_ms() - t0;
  }

  FILE *out = fopen(argv[2], "wb");
  if (!out || fwrite(mm, sizeof(i64), (size_t)N, out) != (size_t)N) { fprintf(stderr, "cannot write %s\n", argv[2]); return 1; }
  fclose(out);
  printf("{\"samplesMs\": [");
  for (long k = 0; k < reps; k++) printf("%s%.6f", k ? ", " : "", samples[k]);
  printf("], \"repetitions\": %ld}\n", reps);
  return 0;
}
