// Files that esbuild embeds as strings through `import … with { type: "text" }` (see report.ts).
declare module "*/uPlot.iife.min.js" {
  const text: string;
  export default text;
}
declare module "*/uPlot.min.css" {
  const text: string;
  export default text;
}
declare module "*/uplot/LICENSE" {
  const text: string;
  export default text;
}
