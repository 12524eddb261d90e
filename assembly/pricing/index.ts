export { black76Value, black76Greeks, black76Delta, black76Gamma, black76Vega, black76Theta } from "./black76";
