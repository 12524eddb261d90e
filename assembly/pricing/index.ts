export { black76Value } from "./black76";
export { normalCdf, normalPdf, erfc } from "./normal";
