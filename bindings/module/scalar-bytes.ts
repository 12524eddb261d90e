// The scalar build's bytes, in a module of their own: the browser bundle splits it into a chunk
// that only a host without wasm SIMD (or a `{ simd: false }` request) loads.
import scalarBytes from "../../build/margin-core.scalar.wasm";

export default scalarBytes;
