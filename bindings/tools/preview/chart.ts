// The price chart: the account's equity, IM and MM against one underlying's price (±50 % of its
// index), with the liquidation price and the price chosen on the slider marked. The exact
// decimals become numbers here only to be plotted.
import uPlot from "uplot";
import type { Curve } from "./protocol.js";

const COLORS = { equity: "#2f6fed", mm: "#e0612b", im: "#c98500", liquidation: "#b3261e", current: "#111a27" };

export interface Markers { liquidation: string | null; current: string }

export class PriceChart {
  private plot: uPlot | null = null;
  private markers: Markers = { liquidation: null, current: "0" };

  constructor(private readonly host: HTMLElement) {
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(host);
  }

  show(curve: Curve, markers: Markers): void {
    this.markers = markers;
    const points = (figures: (string | null)[]) => figures.map((v) => (v === null ? null : Number(v)));
    const data: uPlot.AlignedData = [curve.prices.map(Number), points(curve.equity), points(curve.maintenanceMargin), points(curve.initialMargin)];
    // another underlying's plot is built anew: its axis label is an option
    if (this.plot !== null && this.host.dataset.underlying !== curve.underlying) this.clear();
    if (this.plot === null) {
      this.plot = new uPlot(this.options(curve.underlying), data, this.host);
      this.host.dataset.underlying = curve.underlying;
    } else {
      this.plot.setData(data);
    }
    // the drawing's text alternative: what it plots, over which prices, and the liquidation price
    const canvas = this.plot.ctx.canvas, last = curve.prices[curve.prices.length - 1];
    canvas.setAttribute("role", "img");
    this.plot.root.querySelector("table")?.setAttribute("aria-label", "Chart legend: the figures at the price under the pointer");
    canvas.setAttribute("aria-label", `Equity, IM and MM against the ${curve.underlying} price, from ${curve.prices[0]} to ${last}${markers.liquidation === null ? "" : `; liquidation price ${markers.liquidation}`}`);
  }

  clear(): void {
    this.plot?.destroy();
    this.plot = null;
    delete this.host.dataset.underlying;
  }

  private size(): { width: number; height: number } {
    const width = Math.max(240, this.host.clientWidth);
    return { width, height: width < 500 ? 220 : 280 };
  }

  private options(underlying: string): uPlot.Options {
    const money = (_u: uPlot, values: number[]) => values.map((v) => (Math.abs(v) >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : Math.abs(v) >= 1e3 ? `${(v / 1e3).toFixed(1)}k` : String(v)));
    return {
      ...this.size(),
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } },
      axes: [
        { label: `${underlying} price`, values: money, stroke: "#5d6b7e", grid: { stroke: "#eef1f5" } },
        { values: money, stroke: "#5d6b7e", grid: { stroke: "#eef1f5" }, size: 56 },
      ],
      series: [
        { label: "Price", value: (_u, v) => (v === null ? "—" : v.toLocaleString("en-US", { maximumFractionDigits: 2 })) },
        { label: "Equity", stroke: COLORS.equity, width: 2 },
        { label: "MM", stroke: COLORS.mm, width: 2 },
        { label: "IM", stroke: COLORS.im, width: 1.5, dash: [5, 4] },
      ],
      hooks: { draw: [(u) => this.drawMarkers(u)] },
    };
  }

  /** Vertical lines at the liquidation price and at the chosen price. */
  private drawMarkers(u: uPlot): void {
    const ctx = u.ctx, { top, height } = u.bbox;
    const line = (price: number, color: string, label: string, dash: number[], labelY: number) => {
      const x = Math.round(u.valToPos(price, "x", true));
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
      ctx.save();
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = 1.5 * devicePixelRatio;
      ctx.setLineDash(dash.map((d) => d * devicePixelRatio));
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
      ctx.textAlign = x > u.bbox.left + u.bbox.width * 0.75 ? "right" : "left";
      ctx.fillText(label, x + (ctx.textAlign === "right" ? -4 : 4) * devicePixelRatio, labelY);
      ctx.restore();
    };
    line(Number(this.markers.current), COLORS.current, "price", [2, 3], top + height - 6 * devicePixelRatio);
    if (this.markers.liquidation !== null) line(Number(this.markers.liquidation), COLORS.liquidation, `liquidation ${Number(this.markers.liquidation).toLocaleString("en-US")}`, [6, 4], top + 12 * devicePixelRatio);
  }
}
