// The liquidation pass twin (docs/methodology.md §10), written from the text on a venue-file object:
// the queue, partial liquidation within the caps and the instruments' depth, close-outs, loans
// repaid from collateral, then the deficits — fund, auto-deleveraging, bad debt. Every account is
// valued by the reference margin model (tests/reference/standard-margin.mjs); books are plain
// objects changed in place on a copy of the venue. Slow and obvious on purpose.
import { referenceVenueRisk, guardedMark } from "./standard-margin.mjs";
import { referenceQueue } from "./liquidation.mjs";
import { restoringRun } from "./sizing-pieces.mjs";
import { parseDecimal, formatDecimal, ceilDiv, floorDiv, max, min } from "./decimal.mjs";

const F = 10n ** 9n;
const TO_MONEY = 10n ** 10n;
const MAX_BALANCE = 10n ** 18n;
/** The price limit: 10^10 units at price scale (docs/limits.md). */
const MAX_PRICE = 10n ** 18n;
/** The insurance fund's bound: 10^12 units at money scale (docs/limits.md). */
const MAX_FUND = 10n ** 18n;

const money = (s) => (s === undefined ? null : parseDecimal(s, 6));

/** A limit the pass would break: the twin's counterpart of the engine's OUT_OF_RANGE. */
class Breach extends Error {}

/**
 * One pass over `venue` (not changed). Returns the entries in queue order, the skipped accounts,
 * the pass totals and the venue after the pass.
 */
export function referencePass(venue, tables, { limit = Infinity } = {}) {
  const state = structuredClone(venue);
  const p = state.params ?? {};
  const settlement = state.settlement ?? "USD";
  const buffer = F + parseDecimal(p.liquidationBuffer ?? "0.1", 9);
  const feeRate = parseDecimal(p.liquidationFee ?? "0.005", 9);
  const discountRate = parseDecimal(p.collateralLiquidationDiscount ?? "0.02", 9);
  const dev = parseDecimal(p.maxMarkDeviation ?? "0.05", 9);
  const accountCap = money(p.maxLiquidationNotionalPerAccount), passCap = money(p.maxLiquidationNotionalPerPass);
  const payoutCap = money(p.maxInsuranceLossPerPass);
  const spot = new Map(state.underlyings.map((u) => [u.id, parseDecimal(u.spot, 8)]));
  const instruments = new Map(state.instruments.map((row, k) => [row.id, { row, k, lotSize: parseDecimal(row.lotSize, 8), mark: guardedMark(row, spot.get(row.underlying), dev, row.kind === "option" ? tables.optionModelValue(row.id) : 0n) }]));
  const assets = new Map(state.assets.map((a, k) => [a.id, { k, haircut: a.id === settlement ? 0n : parseDecimal(a.haircut ?? "0", 9), price: a.underlying ? spot.get(a.underlying) : parseDecimal(a.price, 8) }]));
  let fund = parseDecimal(state.insuranceFund ?? "0", 6);
  const fundBefore = fund;

  const risk = (account) => referenceVenueRisk({ ...state, accounts: [account] }, tables).accounts[0];
  const lotsOf = (position) => parseDecimal(position.qty, 8) / instruments.get(position.instrument).lotSize;
  const setLots = (account, id, lots) => {
    const position = account.positions.find((x) => x.instrument === id);
    if (lots === 0n) account.positions = account.positions.filter((x) => x !== position);
    else position.qty = formatDecimal(lots * instruments.get(id).lotSize, 8);
  };
  const balance = (account, asset) => parseDecimal(account.collateral[asset] ?? "0", 8);
  const setBalance = (account, asset, amount) => {
    if (amount > MAX_BALANCE || -amount > MAX_BALANCE) throw new Breach(`${account.id} ${asset}`);
    if (amount !== 0n && !(asset in account.collateral) && Object.keys(account.collateral).length >= 16) throw new Breach(`${account.id} ${asset}`);
    if (amount === 0n) delete account.collateral[asset];
    else account.collateral[asset] = formatDecimal(amount, 8);
  };
  const addCash = (account, m) => setBalance(account, settlement, balance(account, settlement) + m * 100n);
  /** A bankrupt account's cash while its deficit is settled: held to no limit until the settlement's last write. */
  const owe = (account, m) => {
    const amount = balance(account, settlement) + m * 100n;
    if (amount === 0n) delete account.collateral[settlement];
    else account.collateral[settlement] = formatDecimal(amount, 8);
  };
  /** The equity term of a position of `lots` (§3). */
  const term = (id, lots, entry) => {
    const { row, lotSize, mark } = instruments.get(id);
    return floorDiv(lots * lotSize * (row.kind === "option" ? mark : mark - parseDecimal(entry, 8)), TO_MONEY);
  };

  // the allowances of §10
  // passTraded: some trade of the pass has been made (of any notional, zero included)
  let passLeft = passCap, accountLeft = null, passTraded = false;
  const filled = new Map();
  const notionalOf = (id, lots) => ceilDiv((lots < 0n ? -lots : lots) * instruments.get(id).lotSize * instruments.get(id).mark, TO_MONEY);
  const capsLeft = (planned) => {
    const caps = [passLeft, accountLeft].filter((x) => x !== null);
    return caps.length === 0 ? null : max(0n, caps.reduce(min) - planned);
  };
  /** Largest lots ≤ wanted of `id` whose notional fits what is left: a candidate, then counted down. */
  const allowedLots = (id, wanted, planned, entryTraded) => {
    const liquidity = instruments.get(id).row.liquidity;
    const caps = capsLeft(planned), depth = liquidity ? max(0n, money(liquidity.notional) - (filled.get(id) ?? 0n)) : null;
    const room = [caps, depth].filter((x) => x !== null);
    if (room.length === 0) return wanted;
    const left = max(0n, room.reduce(min)), perLot = instruments.get(id).lotSize * instruments.get(id).mark;
    if (left === 0n) return 0n; // nothing left: not even a trade of zero notional
    let k = perLot === 0n ? wanted : min(wanted, (left * TO_MONEY) / perLot + 1n);
    while (k > 0n && notionalOf(id, k) > left) k--;
    if (k > 0n || wanted === 0n) return k;
    // one lot larger than a whole allowance goes when nothing has been traded under it in this
    // pass; else a cap or depth smaller than a lot would hold the position back for good
    // (the account's cap before the entry's first trade, the pass's before any trade of the pass)
    const lot = notionalOf(id, 1n);
    const depthAllows = depth === null || depth >= lot || (filled.get(id) ?? 0n) === 0n;
    const passAllows = passLeft === null || passLeft - planned >= lot || (!entryTraded && !passTraded);
    const accountAllows = accountLeft === null || accountLeft - planned >= lot || !entryTraded;
    return depthAllows && passAllows && accountAllows ? 1n : 0n;
  };
  const quote = (id, change) => {
    const { row, lotSize, mark } = instruments.get(id);
    const size = change < 0n ? -change : change;
    const notional = notionalOf(id, size);
    const liquidity = row.liquidity;
    if (!liquidity || parseDecimal(liquidity.slippage, 9) === 0n) return { price: mark, notional, impact: 0n };
    // a fill past the depth (one lot let through) is priced as the whole depth
    const N = money(liquidity.notional), s = parseDecimal(liquidity.slippage, 9), f = min((filled.get(id) ?? 0n) + notional, N);
    // a sale at mark × (1 − s × f / N), a purchase at mark × (1 + s × f / N), each against the account
    const price = change < 0n ? floorDiv(mark * (N * F - s * f), N * F) : ceilDiv(mark * (N * F + s * f), N * F);
    return { price, notional, impact: ceilDiv(size * lotSize * (price > mark ? price - mark : mark - price), TO_MONEY) };
  };
  const use = (id, notional) => {
    passTraded = true;
    if (passLeft !== null) passLeft -= notional;
    if (accountLeft !== null) accountLeft -= notional;
    if (id !== null) filled.set(id, (filled.get(id) ?? 0n) + notional);
  };
  const fee = (id, lots) => ceilDiv(lots * instruments.get(id).lotSize * instruments.get(id).mark * feeRate, 10n ** 19n);
  const sizingOrder = (account) => {
    const standalone = (x) => risk({ id: "s", mode: "standard", collateral: {}, positions: [x] }).maintenanceMargin;
    return [...account.positions].map((x) => ({ x, mm: standalone(x) }))
      .sort((u, v) => (u.mm !== v.mm ? (u.mm > v.mm ? -1 : 1) : instruments.get(u.x.instrument).k - instruments.get(v.x.instrument).k)).map((u) => u.x);
  };

  /**
   * Fills `change` lots at the quote; its cash, the drop of the position's equity term less the
   * impact, is added to `owed.cash` and written by the entry once, after its last trade.
   */
  const fill = (account, id, change, owed) => {
    const position = account.positions.find((x) => x.instrument === id);
    const lots = lotsOf(position), q = quote(id, change);
    owed.cash += term(id, lots, position.entry) - term(id, lots + change, position.entry) - q.impact;
    setLots(account, id, lots + change);
    use(id, q.notional);
    return { instrument: id, lots: change, price: q.price, notional: q.notional, impact: q.impact };
  };

  const results = referenceVenueRisk(state, tables).accounts;
  const queue = referenceQueue(results);
  const entries = [], skipped = [], deficits = [];
  const totals = { feesPaid: 0n, impactPaid: 0n, discountsPaid: 0n, fundPaid: 0n, socializedLoss: 0n, badDebt: 0n, haircutReleased: 0n, liquidatedNotional: 0n };

  // `limit` entries are taken up; one skipped (put back as it was) is not counted
  for (const index of queue) {
    if (entries.length - skipped.length >= limit) break;
    const account = state.accounts[index];
    const entry = { id: account.id, equity: results[index].equity, orders: [], trades: [], fee: 0n, impact: 0n, discount: 0n, bankruptcy: false, cutShort: false, skipped: false, deficit: 0n, fundPaid: 0n, adl: [], uncovered: 0n, released: 0n };
    entries.push(entry);
    const saved = { account: structuredClone(account), fund, passLeft, passTraded, filled: new Map(filled) };
    try {
      const deficit = liquidate(account, entry);
      // the fund is held to its bound once phase two pays the deficits found so far, this one's too
      const owes = deficit ? deficit.carried ?? -risk(account).equity : 0n;
      const owing = deficits.reduce((sum, d) => sum + d.owes, 0n) + owes;
      if (fund - (payoutCap === null ? owing : min(owing, payoutCap)) > MAX_FUND) throw new Breach(`${account.id} insuranceFund`);
      if (deficit) deficits.push({ account, entry, owes });
    } catch (error) {
      if (!(error instanceof Breach)) throw error;
      state.accounts[index] = Object.assign(account, saved.account);
      fund = saved.fund;
      passLeft = saved.passLeft;
      passTraded = saved.passTraded;
      filled.clear();
      for (const [k, v] of saved.filled) filled.set(k, v);
      Object.assign(entry, { orders: [], trades: [], fee: 0n, impact: 0n, discount: 0n, bankruptcy: false, cutShort: false, skipped: true, released: 0n });
      skipped.push(account.id);
      continue;
    }
    totals.feesPaid += entry.fee;
    totals.impactPaid += entry.impact;
    totals.discountsPaid += entry.discount;
    totals.haircutReleased += entry.released;
    totals.liquidatedNotional += [...entry.orders, ...entry.trades].reduce((s, o) => s + o.notional, 0n);
  }

  function liquidate(account, entry) {
    const { equity, maintenanceMargin } = risk(account);
    if (equity >= maintenanceMargin && equity >= 0n) return false;
    accountLeft = accountCap;
    entry.bankruptcy = equity < 0n;
    let fees = 0n;
    const owed = { cash: 0n };
    if (entry.bankruptcy) {
      let planned = 0n;
      const plan = [];
      for (const position of sizingOrder(account)) {
        const lots = lotsOf(position), size = lots < 0n ? -lots : lots;
        const allowed = allowedLots(position.instrument, size, planned, plan.length > 0);
        if (allowed < size) entry.cutShort = true;
        if (allowed === 0n) continue;
        const change = lots < 0n ? allowed : -allowed;
        plan.push([position.instrument, change]);
        planned += quote(position.instrument, change).notional;
      }
      for (const [id, change] of plan) entry.orders.push(fill(account, id, change, owed));
    } else {
      // sizing: restored when equity − impacts − fee charged ≥ ⌈MM × (1 + buffer)⌉, MM with the planned lots
      const lots = new Map(account.positions.map((x) => [x.instrument, lotsOf(x)]));
      let impacts = 0n, planned = 0n;
      const plan = [];
      // the slack, the fees counted in full ((E − I − Φ) × F − MM × buffer): restored when ≥ 0,
      // i.e. E − I − Φ ≥ ⌈MM × buffer / F⌉
      const bookOf = (trial) => ({ ...account, positions: account.positions.map((x) => ({ ...x, qty: formatDecimal(trial.get(x.instrument) * instruments.get(x.instrument).lotSize, 8) })).filter((x) => parseDecimal(x.qty, 8) !== 0n) });
      const slackOf = (trial, extraFee, extraImpact) => {
        const mm = risk(bookOf(trial)).maintenanceMargin;
        const left = equity - impacts - extraImpact, owed = fees + extraFee;
        return (left - owed) * F - mm * buffer;
      };
      const restored = (trial, extraFee, extraImpact) => slackOf(trial, extraFee, extraImpact) >= 0n;
      for (const position of sizingOrder(account)) {
        const id = position.instrument, signed = lots.get(id), size = signed < 0n ? -signed : signed, side = signed < 0n ? -1n : 1n;
        const allowed = allowedLots(id, size, planned, plan.length > 0);
        if (allowed < size) entry.cutShort = true;
        if (allowed === 0n) continue;
        const trial = (k) => new Map(lots).set(id, side * (size - k));
        const slackAt = (k) => slackOf(trial(k), fee(id, k), quote(id, -side * k).impact);
        // the first run of restoring closes, searched as docs/methodology.md §10 states
        const run = restoringRun(state, account, instruments.get(id).row, instruments.get(id).mark, size, allowed, risk(bookOf(lots)).buckets, slackAt);
        if (run === null) {
          plan.push([id, -side * allowed, fee(id, allowed)]);
          lots.set(id, side * (size - allowed));
          fees += fee(id, allowed);
          impacts += quote(id, -side * allowed).impact;
          planned += quote(id, -side * allowed).notional;
          continue;
        }
        // the fewest lots that restore, by the bisection docs/methodology.md §10 states: closing
        // `top` restores; halve [bottom, top] keeping a restoring upper end
        let k = run.bottom;
        for (let high = run.top; k < high;) {
          const mid = (k + high) / 2n;
          if (restored(trial(mid), fee(id, mid), quote(id, -side * mid).impact)) high = mid;
          else k = mid + 1n;
        }
        plan.push([id, -side * k, fee(id, k)]);
        fees += fee(id, k);
        entry.cutShort = false;
        break;
      }
      fees = 0n;
      for (const [id, change, orderFee] of plan) {
        entry.orders.push(fill(account, id, change, owed));
        fees += orderFee;
      }
    }
    entry.impact = entry.orders.reduce((s, o) => s + o.impact, 0n);
    const afterOrders = risk(account).equity + owed.cash;
    entry.fee = min(fees, max(afterOrders, 0n));
    owed.cash -= entry.fee;
    fund += entry.fee + entry.impact;
    if (account.positions.length > 0) return heldToBound(account, entry, owed.cash);
    const flat = risk(account), before = { equity: flat.equity + owed.cash, maintenanceMargin: flat.maintenanceMargin };
    if (before.equity >= before.maintenanceMargin && before.equity >= 0n) {
      addCash(account, owed.cash);
      return false;
    }
    // loans repaid: other assets' loans bought back, then other assets sold until the settlement balance is ≥ 0
    const others = () => Object.keys(account.collateral).filter((id) => id !== settlement)
      .sort((x, y) => (assets.get(x).haircut !== assets.get(y).haircut ? (assets.get(x).haircut > assets.get(y).haircut ? -1 : 1) : assets.get(x).k - assets.get(y).k));
    // the fills' and the trades' cash is settled once, after the last trade: only the balance it leaves is held to the limit
    let cash = owed.cash;
    const trade = (asset, amount) => {
      const index = assets.get(asset).price, size = amount < 0n ? -amount : amount;
      let allowed = size;
      const left = capsLeft(0n);
      if (left === 0n) allowed = 0n;
      else if (left !== null) allowed = min(size, (left * TO_MONEY) / index + 1n);
      while (allowed > 0n && left !== null && ceilDiv(allowed * index, TO_MONEY) > left) allowed--;
      if (allowed < size) entry.cutShort = true;
      if (allowed === 0n) return;
      const price = amount < 0n ? floorDiv(index * (F - discountRate), F) : ceilDiv(index * (F + discountRate), F);
      cash += amount < 0n ? floorDiv(allowed * price, TO_MONEY) : -ceilDiv(allowed * price, TO_MONEY);
      const discount = floorDiv(allowed * (price > index ? price - index : index - price), TO_MONEY);
      const notional = ceilDiv(allowed * index, TO_MONEY);
      setBalance(account, asset, balance(account, asset) + (amount < 0n ? -allowed : allowed));
      use(null, notional);
      entry.trades.push({ asset, amount: amount < 0n ? -allowed : allowed, price, notional, discount });
      entry.discount += discount;
    };
    for (const asset of others().filter((id) => balance(account, id) < 0n)) trade(asset, -balance(account, asset));
    for (const asset of others().filter((id) => balance(account, id) > 0n)) {
      const settled = balance(account, settlement) + cash * 100n;
      if (settled >= 0n) break;
      const shortfall = ceilDiv(-settled, 100n);
      const price = floorDiv(assets.get(asset).price * (F - discountRate), F);
      // the least amount whose proceeds cover the shortfall, at most the holding: a candidate, then checked both ways
      const held = balance(account, asset);
      let q = price === 0n ? held : min(held, (shortfall * TO_MONEY) / price);
      while (q < held && floorDiv(q * price, TO_MONEY) < shortfall) q++;
      while (q > 1n && floorDiv((q - 1n) * price, TO_MONEY) >= shortfall) q--;
      trade(asset, -q);
    }
    // an account left flat with a deficit takes its cash unchecked (phase two settles it);
    // any other is held to the limit here
    owe(account, cash);
    fund += entry.discount;
    const after = risk(account).equity;
    entry.released = after - before.equity + entry.discount;
    // a flat account's deficit is what its equity lacks (the caller reads it)
    if (after < 0n && others().length === 0) return { carried: null };
    owe(account, -cash);
    return heldToBound(account, entry, cash);
  }

  /**
   * Cash written to an account that still holds positions or other assets: a bankrupt account's
   * loss past the balance's bound is settled now as far as it goes — unless covering it would pay
   * the account more than its deficit, or it holds an asset whose haircut passes the liquidation
   * discount — and any other cash is held to the bound.
   */
  function heldToBound(account, entry, cash) {
    const least = -MAX_BALANCE - balance(account, settlement), pastBound = least - cash * 100n;
    const deficit = -(risk(account).equity + cash);
    // an asset whose haircut passes the discount would sell for more than equity counts it
    const countedAtMost = Object.keys(account.collateral).every((id) => id === settlement || assets.get(id).haircut <= discountRate);
    if (entry.bankruptcy && pastBound > 0n && countedAtMost && deficit * 100n >= pastBound) {
      owe(account, cash);
      return { carried: ceilDiv(pastBound, 100n) };
    }
    addCash(account, cash);
    return false;
  }

  // deficits, in queue order, once every fee of the pass is in the fund: the fund pays what it has
  // (at most what its per-pass cap leaves), ADL takes the rest, and what ADL cannot is written off
  let payoutsLeft = payoutCap, ranking = null;
  for (const { account, entry, owes: deficit } of deficits) {
    let pay = min(deficit, fund);
    if (payoutsLeft !== null) pay = min(pay, payoutsLeft);
    const beyond = deficit - pay;
    owe(account, pay);
    fund -= pay;
    if (payoutsLeft !== null) payoutsLeft -= pay;
    Object.assign(entry, { deficit, fundPaid: pay });
    totals.fundPaid += pay;
    if (beyond === 0n) {
      addCash(account, 0n);
      continue;
    }
    const closed = entry.orders.filter((o) => o.notional > 0n);
    const total = closed.reduce((s, o) => s + o.notional, 0n);
    ranking ??= rank(deficits.flatMap((d) => d.entry.orders.map((o) => `${o.instrument}:${o.lots > 0n ? 1 : -1}`)));
    let unassigned = beyond, taken = 0n;
    closed.forEach((order, k) => {
      const share = k === closed.length - 1 ? unassigned : (beyond * order.notional) / total;
      unassigned -= share;
      if (share === 0n) return;
      taken += deleverage(account, entry, order, share, ranking.get(`${order.instrument}:${order.lots > 0n ? 1 : -1}`) ?? []);
    });
    entry.uncovered = beyond - taken;
    totals.socializedLoss += taken;
    totals.badDebt += entry.uncovered;
    owe(account, entry.uncovered);
    // the balance the settlement leaves (zero, or the sub-µ fraction) is held to the limit
    addCash(account, 0n);
  }

  /** Holders of each instrument and side named (`id:side`, the side opponents hold): at or above MM, positive equity and PnL. */
  function rank(keys) {
    const wanted = new Set(keys), out = new Map();
    state.accounts.forEach((holder, a) => {
      const r = risk(holder);
      if (r.status === "liquidatable" || r.status === "bankrupt" || !(Number(r.equity) > 0)) return;
      for (const position of holder.positions) {
        const lots = lotsOf(position), key = `${position.instrument}:${lots > 0n ? 1 : -1}`;
        if (!wanted.has(key)) continue;
        const { lotSize, mark } = instruments.get(position.instrument);
        const entry = parseDecimal(position.entry, 8);
        // the exact difference where the mark and the entry round to one double (past 2^53)
        const pnl = Number(lots) * (Number(mark) === Number(entry) ? Number(mark - entry) : Number(mark) - Number(entry));
        if (!(pnl > 0)) continue;
        const notional = Math.abs(Number(lots)) * Number(lotSize) * Number(mark) / 1e10;
        // the entry notional over at least one price unit a lot: a premium of 0 scores finitely
        const entryPrice = entry > 0n ? Number(entry) : 1;
        const score = (pnl / (Math.abs(Number(lots)) * entryPrice)) * (notional / Number(r.equity));
        if (!out.has(key)) out.set(key, []);
        out.get(key).push({ a, score });
      }
    });
    for (const list of out.values()) list.sort((x, y) => (x.score !== y.score ? y.score - x.score : x.a - y.a));
    return out;
  }

  /** ADL of `share` over the ranked holders: each gives the most lots keeping equity ≥ 0 and ≥ MM (by bisection, as §10 states). */
  function deleverage(bankrupt, entry, order, share, holders) {
    const id = order.instrument, size = order.lots < 0n ? -order.lots : order.lots;
    const { row, lotSize, mark } = instruments.get(id);
    // the bankruptcy price stays a price the instrument may have: at most 10^10, and above 0
    // (an option's premium: at least 0); the share is taken only as far as such a price pays
    const furthest = order.lots < 0n ? MAX_PRICE : row.kind === "option" ? 0n : 1n;
    share = min(share, floorDiv((furthest > mark ? furthest - mark : mark - furthest) * size * lotSize, TO_MONEY));
    if (share === 0n) return 0n;
    const perUnit = (share * TO_MONEY) / (size * lotSize);
    const price = order.lots < 0n ? mark + perUnit : mark - perUnit;
    let filled = 0n, paid = 0n;
    for (const { a } of holders) {
      if (filled === size) break;
      const holder = state.accounts[a];
      // a parent and its sub-accounts are one family, and nothing flows within it
      if ((holder.parent ?? holder.id) === (bankrupt.parent ?? bankrupt.id)) continue;
      const position = holder.positions.find((x) => x.instrument === id);
      if (!position) continue;
      const held = lotsOf(position);
      if ((held > 0n) !== (order.lots > 0n)) continue;
      const now = risk(holder);
      if (now.equity <= 0n || now.equity < now.maintenanceMargin) continue;
      const owedAt = (k) => ceilDiv(share * (filled + k), size) - paid;
      let k = min(held < 0n ? -held : held, size - filled);
      if (share > 0n) k = min(k, ((now.equity + paid) * size) / share - filled + 1n);
      while (k > 0n && owedAt(k) > now.equity) k--;
      const keeps = (lots) => {
        const trial = { ...holder, positions: holder.positions.map((x) => (x === position ? { ...x, qty: formatDecimal((held - (held > 0n ? lots : -lots)) * lotSize, 8) } : x)).filter((x) => parseDecimal(x.qty, 8) !== 0n) };
        return now.equity - owedAt(lots) >= risk(trial).maintenanceMargin;
      };
      if (!keeps(k)) {
        // the largest that keeps, by the bisection docs/methodology.md §10 states: no fill keeps
        // (the holder is at or above MM), k does not; halve between them
        let keeping = 0n;
        for (let failing = k; failing - keeping > 1n;) {
          const mid = (keeping + failing) / 2n;
          if (keeps(mid)) keeping = mid;
          else failing = mid;
        }
        k = keeping;
      }
      if (k === 0n) continue;
      const amount = owedAt(k);
      const saved = structuredClone(holder), savedBankrupt = structuredClone(bankrupt);
      try {
        // the realized profit less the payment, in one write: only the balance the fill leaves is held to the limit
        addCash(holder, term(id, held, position.entry) - term(id, held - (held > 0n ? k : -k), position.entry) - amount);
        setLots(holder, id, held - (held > 0n ? k : -k));
        owe(bankrupt, amount);
      } catch (error) {
        if (!(error instanceof Breach)) throw error;
        Object.assign(holder, saved);
        Object.assign(bankrupt, savedBankrupt);
        if (!skipped.includes(holder.id)) skipped.push(holder.id); // once a pass
        continue;
      }
      filled += k;
      paid += amount;
      entry.adl.push({ account: holder.id, instrument: id, lots: held > 0n ? k : -k, price, amount, equityBefore: now.equity, equityAfter: now.equity - amount });
    }
    return paid;
  }

  return { entries, skipped, ...totals, fundBefore, fundAfter: fund, venue: { ...state, insuranceFund: formatDecimal(fund, 6) } };
}
