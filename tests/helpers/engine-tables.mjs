// The module's f64 tables (an option's model value, an instrument's risk array, an underlying's
// scenario grid), which the BigInt twin takes as inputs rather than computing them itself.
export const engineTables = (engine) => ({
  optionModelValue: (id) => engine.optionModelValue(id),
  riskArray: (id) => engine.riskArray(id),
  grid: (u) => engine.scenarioGrid(u),
});
