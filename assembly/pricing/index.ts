export { black76Value, black76Greeks } from "./black76";
export { normalCdf, normalPdf, erfc } from "./normal";
