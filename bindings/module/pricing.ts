// Black-76 from the module itself, for tools that price options outside an engine (the
// generator): one synchronous instance of the scalar build, made at first use, so every number
// comes from the same routine the engine uses.
import scalarBytes from "../../build/margin-core.scalar.wasm";
import { MAX_PAGES, MIN_PAGES } from "./wasm.js";

interface PricingExports { black76Value(isCall: number, spot: number, strike: number, years: number, sigma: number, rate: number): number }

let pricing: PricingExports | undefined;

function instance(): PricingExports {
  const memory = new WebAssembly.Memory({ initial: MIN_PAGES, maximum: MAX_PAGES });
  const abort = () => { throw new Error("margin-core module aborted"); };
  return new WebAssembly.Instance(new WebAssembly.Module(scalarBytes), { env: { memory, abort } }).exports as unknown as PricingExports;
}

/** Black-76 value per base unit (see assembly/pricing/black76.ts), years of 365 days. */
export function black76Value(isCall: boolean, spot: number, strike: number, years: number, sigma: number, rate: number): number {
  pricing ??= instance();
  return pricing.black76Value(isCall ? 1 : 0, spot, strike, years, sigma, rate);
}
