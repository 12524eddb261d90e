// The release module's bytes, embedded by esbuild's binary loader (see scripts/build.mjs).
declare module "*.wasm" {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
