// UTF-16 code units of the characters the text readers (decimals, JSON by position) look for,
// written once.
export const TAB = 9, LF = 10, CR = 13, SPACE = 32, QUOTE = 34, PLUS = 43, COMMA = 44, MINUS = 45, POINT = 46;
export const ZERO = 48, NINE = 57, COLON = 58, OPEN_BRACKET = 91, BACKSLASH = 92, CLOSE_BRACKET = 93;
export const OPEN_BRACE = 123, CLOSE_BRACE = 125;
